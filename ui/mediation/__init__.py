"""调解: the mediator's workspace (cases, sessions, evidence, agreements, rooms)."""
