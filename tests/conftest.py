import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from gongkai_desktop.core import profile  # noqa: E402
from gongkai_desktop.core.db import connect  # noqa: E402


@pytest.fixture
def db(tmp_path):
    d = connect(tmp_path / "t.db")
    profile.save(d, profile.UnitProfile(unit_name="厦门市人力资源和社会保障局", fonds_no="X001",
                                        operator="张三"))
    yield d
    d.conn.close()
