"""The zh-CN .docx template every DOCX document starts from (built by ``reports.make_template``)."""
