"""The one place the UI imports Qt from.

Every module in ``ui/`` imports Qt names from here, never from PySide6
directly, so a Qt binding change or a missing optional module is handled once.
"""
from PySide6.QtCore import (QT_TRANSLATE_NOOP, QAbstractTableModel, QBuffer, QByteArray,
                            QCoreApplication, QDate, QDateTime, QEvent, QEventLoop, QIODevice,
                            QItemSelectionModel, QLibraryInfo, QLocale, QMarginsF, QModelIndex,
                            QObject, QPersistentModelIndex, QPoint, QProcess, QRect, QRectF, QRunnable,
                            QSettings, QSize, QSizeF, QSortFilterProxyModel, QStandardPaths,
                            QThread, QThreadPool, QTime, QTimer, QTranslator, QUrl, Qt, Signal, Slot)
from PySide6.QtGui import (QAction, QActionGroup, QBrush, QCloseEvent, QColor, QFont, QFontDatabase,
                           QFontMetrics, QGuiApplication, QIcon, QImage, QInputMethodEvent,
                           QKeySequence, QPageLayout, QPageSize, QPainter, QPalette, QPixmap,
                           QScreen, QShortcut, QTextDocument, QValidator)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QButtonGroup, QCheckBox, QComboBox,
                               QCompleter, QDateEdit, QDateTimeEdit, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout,
                               QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QInputDialog,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QMainWindow, QMenu, QMessageBox,
                               QPlainTextEdit, QProgressDialog, QPushButton, QScrollArea, QSizePolicy,
                               QSpinBox, QSplitter, QStackedWidget, QStatusBar, QTableView, QTabWidget,
                               QTextEdit, QToolBar, QToolButton, QVBoxLayout, QWidget)

try:  # optional: Qt's speech module needs PySide6-Addons and a speech engine
    from PySide6.QtTextToSpeech import QTextToSpeech
except ImportError:  # pragma: no cover - depends on the installation
    QTextToSpeech = None

try:
    from PySide6.QtMultimedia import QSoundEffect
except ImportError:  # pragma: no cover
    QSoundEffect = None

try:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewDialog
except ImportError:  # pragma: no cover
    QPrintDialog = QPrinter = QPrinterInfo = QPrintPreviewDialog = None

try:  # optional: the director's charts (PySide6-Addons)
    from PySide6.QtCharts import (QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView,
                                  QHorizontalBarSeries, QValueAxis)
except ImportError:  # pragma: no cover
    QBarCategoryAxis = QBarSeries = QBarSet = QChart = QChartView = QHorizontalBarSeries = QValueAxis = None

try:
    from PySide6.QtPdf import QPdfDocument
except ImportError:  # pragma: no cover
    QPdfDocument = None


def tr(context: str, text: str) -> str:
    """Translate outside a QObject (or in a base class, where ``self.tr`` would
    use the subclass's context)."""
    return QCoreApplication.translate(context, text)
