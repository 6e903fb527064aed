"""The one place the UI imports Qt from.

Every module in ``ui/`` imports Qt names from here, never from PySide6
directly, so a Qt binding change or a missing optional module is handled once.
"""
from typing import TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QDate,
    QDateTime,
    QEvent,
    QEventLoop,
    QIODevice,
    QItemSelectionModel,
    QLibraryInfo,
    QLocale,
    QMarginsF,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QProcess,
    QRect,
    QRectF,
    QRunnable,
    QSettings,
    QSize,
    QSizeF,
    QSortFilterProxyModel,
    QStandardPaths,
    Qt,
    QThread,
    QThreadPool,
    QTime,
    QTimer,
    QTranslator,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QBrush,
    QCloseEvent,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QImage,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPixmap,
    QScreen,
    QShortcut,
    QStandardItemModel,
    QTextDocument,
    QValidator,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QTableView,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

# Optional or heavy modules, imported when a name is first used (PEP 562): the
# sign-in window and the front desk do not load speech, sound or charts.
# A module that is not installed gives ``None`` for its names.
_LAZY = {
    # Qt's speech module needs PySide6-Addons and a speech engine
    "QTextToSpeech": "PySide6.QtTextToSpeech",
    "QSoundEffect": "PySide6.QtMultimedia",
    "QPrintDialog": "PySide6.QtPrintSupport",
    "QPrinter": "PySide6.QtPrintSupport",
    "QPrinterInfo": "PySide6.QtPrintSupport",
    "QPrintPreviewDialog": "PySide6.QtPrintSupport",
    # the director's charts (PySide6-Addons)
    "QBarCategoryAxis": "PySide6.QtCharts",
    "QBarSeries": "PySide6.QtCharts",
    "QBarSet": "PySide6.QtCharts",
    "QChart": "PySide6.QtCharts",
    "QChartView": "PySide6.QtCharts",
    "QHorizontalBarSeries": "PySide6.QtCharts",
    "QValueAxis": "PySide6.QtCharts",
    "QPdfDocument": "PySide6.QtPdf",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    try:
        value = getattr(importlib.import_module(module), name)
    except ImportError:  # pragma: no cover - depends on the installation
        value = None
    globals()[name] = value
    return value


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 (the name lupdate reads)
    """Marks ``source`` for the catalogue under ``context``; returns it unchanged,
    as Qt's does (whose stubs say it returns ``object``)."""
    return source


def translate(context: str, text: str) -> str:
    """Translate outside a QObject (or in a base class, where ``self.tr`` would
    use the subclass's context). lupdate reads ``translate("Context", "text")``
    as it reads ``QCoreApplication.translate``, so a literal text passed here is
    collected for the catalogue as it stands."""
    return QCoreApplication.translate(context, text)


_Obj = TypeVar("_Obj", bound=QObject)


def named(obj: _Obj, name: str) -> _Obj:
    """``obj`` with its object name set (the style sheets and tests find widgets
    by it). PySide6 accepts ``objectName=`` in any constructor, but its type
    stubs list only each class's own properties, so the typed code sets the
    name here: ``named(QPushButton("叫号"), "call")``."""
    obj.setObjectName(name)
    return obj
