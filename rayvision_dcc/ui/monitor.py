"""The task monitor tab: the user's tasks, their frames, actions and downloads.

Every call runs in the shared :class:`~rayvision_dcc.ui.workers.Workers`; the tab polls
by its :class:`~rayvision_dcc.ui.logic.PollPolicy` only while it is shown.
"""
from __future__ import annotations

import os
import weakref

from Qt import QtCore, QtGui, QtWidgets

from rayvision_dcc.ui import logic, style
from rayvision_dcc.ui.widgets import ErrorBox

ICONS = {"stop": "stop", "start": "start", "abandon": "abandon", "restart_failed": "restart",
         "full_speed": "fullspeed"}


# -- work done in workers (plain functions: no widget is touched here) ------------------
def fetch_tasks(job, client, page, page_size):
    return logic.TaskPage(client.task_list(page=page, page_size=page_size), page, page_size)


def fetch_frames(job, client, task_id, page_size=200):
    return task_id, logic.frame_rows(client.task_frames(task_id, page=1, page_size=page_size))


_TRANSFERS = weakref.WeakKeyDictionary()


def fetch_thumbnail(job, client, frame_id):
    """The frame's preview as a QImage (safe off the UI thread, unlike QPixmap), or None.

    The farm answers an ``http(s)`` URL or a path in the output storage; the latter is
    fetched through the http transfer engine into a cache (never through the transmitter,
    which would fetch whole render folders)."""
    paths = client.frame_thumbnail(frame_id) or []
    if isinstance(paths, dict):
        paths = paths.get("items") or list(paths.values())
    for path in paths:
        path = str(path or "")
        data = None
        if path.startswith(("http://", "https://")):
            # through the client's session: its proxy and CA bundle apply
            answer = client.transport.get(path, client.settings.timeout, "frame preview")
            if answer.status == 200:
                data = answer.body
        elif path.startswith("/"):
            local = _preview_file(client, path)
            if local:
                with open(local, "rb") as handle:
                    data = handle.read()
        if data:
            image = QtGui.QImage()
            if image.loadFromData(data):
                return frame_id, image
    return frame_id, None


def _preview_file(client, path):
    from rayvision_dcc.api.config import data_dir
    from rayvision_dcc.job.workflow import account, make_transfer
    from rayvision_dcc.errors import TransferError
    transfer = _TRANSFERS.get(client)
    if transfer is None:
        try:
            transfer = make_transfer(client, "http")   # only where an http line is announced
        except TransferError:
            transfer = False
        _TRANSFERS[client] = transfer
    if not transfer:
        return None
    folder, _slash, name = path.strip("/").rpartition("/")
    if not folder or ".." in folder.split("/"):
        return None
    cache = os.path.join(data_dir(), "previews", *folder.split("/"))
    transfer.download("/" + folder, cache, account(client).storage("output"))
    local = os.path.join(cache, *name.split("/"))
    return local if os.path.isfile(local) else None


def run_action(job, client, method, task_ids):
    getattr(client, method)(list(task_ids))
    return method, task_ids


def download_outputs(job, client, task_id, folder):
    from rayvision_dcc.job.workflow import download
    return download(client, task_id, folder, progress=job.report)


class MonitorWidget(QtWidgets.QWidget):
    """The "Tasks" tab. ``set_client(client)`` connects it; ``show_task(id)`` selects one."""

    task_selected = QtCore.Signal(object)
    downloaded = QtCore.Signal(object)  # the paths fetched

    def __init__(self, workers, poll_interval=10.0, page_size=20, parent=None):
        super(MonitorWidget, self).__init__(parent)
        self.setObjectName("rvMonitor")
        self.workers = workers
        self.client = None
        self.policy = logic.PollPolicy(interval=poll_interval,
                                       idle_interval=poll_interval * 3)
        self.page = 1
        self.page_size = page_size
        self.page_info = None
        self.rows = {}
        self.frames = []
        self.download_folder = ""
        self._wanted_task = None
        self.preview_frame = None  # the frame whose preview is shown
        self.polls = 0
        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.refresh)
        self._build()

    # -- layout ------------------------------------------------------------------------
    def _build(self):
        self.refresh_button = QtWidgets.QToolButton()
        self.refresh_button.setObjectName("rvRefresh")
        self.refresh_button.setIcon(style.icon("refresh"))
        self.refresh_button.setToolTip(self.tr("Refresh now"))
        self.refresh_button.clicked.connect(self.refresh)
        self.previous_button = QtWidgets.QToolButton()
        self.previous_button.setArrowType(QtCore.Qt.LeftArrow)
        self.previous_button.setToolTip(self.tr("Previous page"))
        self.previous_button.clicked.connect(lambda: self.go_to_page(self.page - 1))
        self.next_button = QtWidgets.QToolButton()
        self.next_button.setArrowType(QtCore.Qt.RightArrow)
        self.next_button.setToolTip(self.tr("Next page"))
        self.next_button.clicked.connect(lambda: self.go_to_page(self.page + 1))
        self.page_label = QtWidgets.QLabel()
        self.updated_label = QtWidgets.QLabel()
        self.updated_label.setObjectName("rvHostNote")
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.refresh_button)
        top.addWidget(self.previous_button)
        top.addWidget(self.page_label)
        top.addWidget(self.next_button)
        top.addStretch(1)
        top.addWidget(self.updated_label)

        self.tasks = QtWidgets.QTreeWidget()
        self.tasks.setObjectName("rvTasks")
        self.tasks.setHeaderLabels([self.tr("Task"), self.tr("Scene"), self.tr("Status"),
                                    self.tr("Frames"), self.tr("Submitted")])
        self.tasks.setSelectionMode(QtWidgets.QAbstractItemView.ExtendedSelection)
        self.tasks.setRootIsDecorated(True)
        self.tasks.setUniformRowHeights(True)
        self.tasks.itemSelectionChanged.connect(self._selection_changed)
        header = self.tasks.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.Stretch)

        self.action_buttons = {}
        actions = QtWidgets.QHBoxLayout()
        for name, label, method in logic.ACTIONS:
            button = QtWidgets.QPushButton(style.icon(ICONS[name]), self.tr(label))
            button.setObjectName("rvAction_" + name)
            button.setEnabled(False)
            button.clicked.connect(lambda checked=False, m=method, n=name: self.act(n, m))
            actions.addWidget(button)
            self.action_buttons[name] = button
        actions.addStretch(1)
        self.download_button = QtWidgets.QPushButton(style.icon("download"),
                                                     self.tr("Download..."))
        self.download_button.setObjectName("rvDownload")
        self.download_button.setEnabled(False)
        self.download_button.clicked.connect(self._download_clicked)
        actions.addWidget(self.download_button)

        self.frames_view = QtWidgets.QTreeWidget()
        self.frames_view.setObjectName("rvFrames")
        self.frames_view.setHeaderLabels([self.tr("Frame"), self.tr("Status"),
                                          self.tr("Render time")])
        self.frames_view.setRootIsDecorated(False)
        self.frames_view.setUniformRowHeights(True)
        self.frames_view.itemSelectionChanged.connect(self._frame_selected)
        self.thumbnail = QtWidgets.QLabel(self.tr("No preview"))
        self.thumbnail.setObjectName("rvThumbnail")
        self.thumbnail.setAlignment(QtCore.Qt.AlignCenter)
        side = self.fontMetrics().height() * 10
        self.thumbnail.setMinimumSize(side, side * 3 // 4)
        frames_box = QtWidgets.QWidget()
        frames_layout = QtWidgets.QHBoxLayout(frames_box)
        frames_layout.setContentsMargins(0, 0, 0, 0)
        frames_layout.addWidget(self.frames_view, 1)
        frames_layout.addWidget(self.thumbnail)

        splitter = QtWidgets.QSplitter(QtCore.Qt.Vertical)
        splitter.addWidget(self.tasks)
        splitter.addWidget(frames_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.download_progress = QtWidgets.QProgressBar()
        self.download_progress.setObjectName("rvDownloadProgress")
        self.download_progress.setRange(0, 1000)
        self.download_progress.setVisible(False)
        self.download_label = QtWidgets.QLabel()
        self.error = ErrorBox()

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)
        layout.addWidget(self.download_progress)
        layout.addWidget(self.download_label)
        layout.addWidget(self.error)
        self._update_page()

    # -- client and polling ----------------------------------------------------------
    def set_client(self, client):
        self.client = client
        self.workers.forget("tasks")
        self.tasks.clear()
        self.rows = {}
        if client is not None and self.isVisible():
            self.refresh()

    def showEvent(self, event):
        super(MonitorWidget, self).showEvent(event)
        self.policy.visible = True
        self.refresh()

    def hideEvent(self, event):
        super(MonitorWidget, self).hideEvent(event)
        self.policy.visible = False
        self.timer.stop()

    def _schedule(self):
        self.timer.stop()
        delay = self.policy.delay
        if delay is not None and self.client is not None:
            self.timer.start(int(delay * 1000))

    def refresh(self):
        """Ask for the current page now (a poll in flight is superseded)."""
        self.timer.stop()
        if self.client is None:
            return
        self.polls += 1
        self.workers.start("tasks", fetch_tasks, self.client, self.page, self.page_size,
                           on_result=self._tasks_arrived, on_error=self._poll_failed)

    def go_to_page(self, page):
        if self.page_info is not None:
            page = min(page, self.page_info.page_count)
        self.page = max(1, page)
        self._update_page()
        self.refresh()

    def show_task(self, task_id):
        """Select ``task_id`` when it shows up (at once if it is already listed)."""
        self._wanted_task = int(task_id)
        if self.page != 1:
            self.page = 1
        self._select_wanted()

    # -- results -----------------------------------------------------------------------
    def _tasks_arrived(self, page):
        self.policy.succeeded(page.any_active)
        self.page_info = page
        self.error.clear()
        selected = set(self.selected_ids())
        current = self.tasks.currentItem()
        current_id = current.data(0, QtCore.Qt.UserRole) if current is not None else None
        self.tasks.setUpdatesEnabled(False)
        self.tasks.clear()
        self.rows = {}
        for row in page.rows:
            item = self._task_item(row)
            self.tasks.addTopLevelItem(item)
            for child in row.children:
                item.addChild(self._task_item(child))
        for index in range(5):
            if index != 1:
                self.tasks.resizeColumnToContents(index)
        for task_id, item in self._items():
            if task_id in selected:
                item.setSelected(True)
            if task_id == current_id:
                self.tasks.setCurrentItem(item, 0, QtCore.QItemSelectionModel.NoUpdate)
        self.tasks.setUpdatesEnabled(True)
        self.updated_label.setText(self.tr("Updated {}").format(
            QtCore.QTime.currentTime().toString("HH:mm:ss")))
        self._update_page()
        self._select_wanted()
        self._update_actions()
        self._schedule()

    def _task_item(self, row):
        self.rows[row.id] = row
        item = QtWidgets.QTreeWidgetItem([row.name, row.scene, self.tr(row.status_text),
                                          row.progress_text, row.submitted])
        item.setData(0, QtCore.Qt.UserRole, row.id)
        item.setForeground(2, QtGui.QBrush(QtGui.QColor(row.colour)))
        item.setToolTip(0, self.tr("Task id {}").format(row.id))
        return item

    def _items(self):
        iterator = QtWidgets.QTreeWidgetItemIterator(self.tasks)
        while iterator.value() is not None:
            item = iterator.value()
            yield item.data(0, QtCore.Qt.UserRole), item
            iterator += 1

    def _select_wanted(self):
        if self._wanted_task is None:
            return
        for task_id, item in self._items():
            if task_id == self._wanted_task:
                self.tasks.clearSelection()
                item.setSelected(True)
                self.tasks.setCurrentItem(item)
                self.tasks.scrollToItem(item)
                self._wanted_task = None
                return

    def _poll_failed(self, error, traceback_text):
        self.policy.failed()
        self.error.show_error(error, traceback_text)
        self._schedule()

    def _update_page(self):
        count = self.page_info.page_count if self.page_info is not None else 1
        self.page_label.setText(self.tr("Page {} of {}").format(self.page, count))
        self.previous_button.setEnabled(self.page > 1)
        self.next_button.setEnabled(self.page < count)

    # -- selection, frames, thumbnails -------------------------------------------------
    def selected_ids(self):
        return [item.data(0, QtCore.Qt.UserRole) for item in self.tasks.selectedItems()]

    def selected_rows(self):
        return [self.rows[i] for i in self.selected_ids() if i in self.rows]

    def _selection_changed(self):
        self._update_actions()
        ids = self.selected_ids()
        self.task_selected.emit(ids[0] if ids else None)
        if len(ids) == 1 and self.client is not None:
            if getattr(self, "_frames_task", None) != ids[0]:
                self.frames_view.clear()
                self.thumbnail.setText(self.tr("No preview"))
            self._frames_task = ids[0]
            self.workers.start("frames", fetch_frames, self.client, ids[0],
                               on_result=self._frames_arrived, on_error=self._poll_failed)
        elif not ids:
            self.workers.forget("frames")
            self._frames_task = None
            self.frames_view.clear()

    def _frames_arrived(self, result):
        task_id, frames = result
        if task_id != getattr(self, "_frames_task", None):
            return
        selected = [item.data(0, QtCore.Qt.UserRole) for item in self.frames_view.selectedItems()]
        self.frames = frames
        self.frames_view.setUpdatesEnabled(False)
        self.frames_view.clear()
        for frame in frames:
            item = QtWidgets.QTreeWidgetItem([frame.index, self.tr(frame.status_text),
                                              frame.render_time])
            item.setData(0, QtCore.Qt.UserRole, frame.id)
            item.setForeground(1, QtGui.QBrush(QtGui.QColor(frame.colour)))
            self.frames_view.addTopLevelItem(item)
            if frame.id in selected:
                item.setSelected(True)
        self.frames_view.setUpdatesEnabled(True)

    def _frame_selected(self):
        items = self.frames_view.selectedItems()
        if not items or self.client is None:
            return
        frame_id = items[0].data(0, QtCore.Qt.UserRole)
        frame = next((f for f in self.frames if f.id == frame_id), None)
        if frame is None or not frame.has_thumbnail:
            self.workers.forget("thumbnail")
            self.thumbnail.setText(self.tr("No preview"))
            return
        self.thumbnail.setText(self.tr("Loading preview..."))
        self.workers.start("thumbnail", fetch_thumbnail, self.client, frame_id,
                           on_result=self._thumbnail_arrived,
                           on_error=lambda e, t: self.thumbnail.setText(self.tr("No preview")))

    def _thumbnail_arrived(self, result):
        frame_id, image = result
        if image is None:
            self.thumbnail.setText(self.tr("No preview"))
            return
        self.preview_frame = frame_id
        pixmap = QtGui.QPixmap.fromImage(image)
        self.thumbnail.setPixmap(pixmap.scaled(self.thumbnail.size(), QtCore.Qt.KeepAspectRatio,
                                               QtCore.Qt.SmoothTransformation))

    # -- actions and downloads ---------------------------------------------------------
    def _update_actions(self):
        rows = self.selected_rows()
        allowed = logic.allowed_actions(rows)
        busy = self.workers.is_busy("action")
        for name, button in self.action_buttons.items():
            button.setEnabled(name in allowed and not busy)
        self.download_button.setEnabled(len(rows) == 1 and not self.workers.is_busy("download"))

    def act(self, name, method):
        ids = [row.id for row in self.selected_rows()]
        if not ids or self.client is None:
            return
        self.workers.start("action", run_action, self.client, method, ids,
                           on_result=lambda result: self.refresh(),
                           on_error=self._action_failed, on_done=self._update_actions)
        self._update_actions()

    def _action_failed(self, error, traceback_text):
        self.error.show_error(error, traceback_text)
        self.refresh()

    def _download_clicked(self):
        folder = QtWidgets.QFileDialog.getExistingDirectory(
            self, self.tr("Download the rendered frames to"), self.download_folder or "")
        if folder:
            self.download(folder)

    def download(self, folder, task_id=None):
        """Download the outputs of ``task_id`` (default: the selected task) into ``folder``."""
        if task_id is None:
            ids = self.selected_ids()
            if not ids:
                return None
            task_id = ids[0]
        self.download_folder = folder
        self.download_progress.setVisible(True)
        self.download_progress.setRange(0, 0)
        self.download_label.setText(self.tr("Downloading task {}...").format(task_id))
        self.error.clear()
        request = self.workers.start("download", download_outputs, self.client, task_id, folder,
                                     on_progress=self._download_progress,
                                     on_result=self._downloaded, on_error=self._download_failed,
                                     on_done=self._update_actions)
        self._update_actions()
        return request

    def _download_progress(self, event):
        text = logic.ProgressText(event)
        if text.per_mille < 0:
            self.download_progress.setRange(0, 0)
        else:
            self.download_progress.setRange(0, 1000)
            self.download_progress.setValue(text.per_mille)
        self.download_label.setText(text.detail or text.message)

    def _downloaded(self, paths):
        self.download_progress.setRange(0, 1000)
        self.download_progress.setValue(1000)
        self.download_label.setText(self.tr("Downloaded {} file(s) to {}").format(
            len(paths or []), os.path.normpath(self.download_folder)))
        self.downloaded.emit(paths)

    def _download_failed(self, error, traceback_text):
        self.download_progress.setVisible(False)
        self.download_label.clear()
        self.error.show_error(error, traceback_text)
