"""A table model over a ``datasets.Dataset`` that reads rows in blocks on demand, so a preview
of a million-row file opens instantly (the Arrow file is memory-mapped)."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

BLOCK = 256
CACHED_BLOCKS = 64


class DatasetTableModel(QAbstractTableModel):
    def __init__(self, dataset=None, parent=None):
        super().__init__(parent)
        self.dataset = dataset
        self.columns = list(dataset.column_names) if dataset is not None else []
        self._blocks: OrderedDict[int, dict] = OrderedDict()

    def set_dataset(self, dataset) -> None:
        self.beginResetModel()
        self.dataset = dataset
        self.columns = list(dataset.column_names) if dataset is not None else []
        self._blocks.clear()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.dataset is None else len(self.dataset)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def _block(self, number: int) -> dict:
        block = self._blocks.get(number)
        if block is None:
            start = number * BLOCK
            block = self.dataset[start:start + BLOCK]
            self._blocks[number] = block
            if len(self._blocks) > CACHED_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(number)
        return block

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        block = self._block(index.row() // BLOCK)
        value = block[self.columns[index.column()]][index.row() % BLOCK]
        text = "" if value is None else str(value)
        return text if role == Qt.ItemDataRole.ToolTipRole or len(text) < 300 else \
            text[:300] + "…"

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section] if section < len(self.columns) else None
        return str(section + 1)
