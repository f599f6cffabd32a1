"""Child process of tests/test_kill.py: writes registry items until it is killed.

    python kill_writer.py DB_FILE SEED

Takes the window's file lock, then writes through the real repository (core/items.py: one transaction with its audit row)
and prints one acknowledgement line after each call returns, i.e. after its COMMIT:

    C <id> <title>      an item was created
    U <id> <title>      an item's title was changed
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta

from gongkai_desktop.core import file_lock, items, profile
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.db import connect


def main(path: str, seed: int) -> None:
    rnd = random.Random(seed)
    # As the window does: the OS lock dies with the process, so a kill leaves none behind.
    file_lock.acquire(path)
    db = connect(path)
    if profile.load(db) is None:
        profile.save(
            db,
            profile.UnitProfile(
                unit_name="厦门市人力资源和社会保障局", fonds_no="X001", operator="张三"
            ),
        )
    category = db.execute("SELECT code FROM categories ORDER BY sort LIMIT 1").fetchone()[0]
    cal = WorkCalendar.from_db(db)
    today = date.today()
    print("READY", flush=True)
    n = 0
    while True:
        n += 1
        ids = [r[0] for r in db.execute("SELECT id FROM items ORDER BY id DESC LIMIT 20")]
        if ids and rnd.random() < 0.3:
            item_id = rnd.choice(ids)
            title = f"关于调整社会保险缴费基数的通知（第{seed}-{n}次修改）"
            items.update(db, item_id, {"title": title}, cal=cal, today=today)
            print(f"U {item_id} {title}", flush=True)
        else:
            formed = today - timedelta(days=rnd.randrange(0, 200))
            title = f"政府信息公开事项{seed}-{n}：{'社会保障' * rnd.randrange(1, 30)}"
            data = {
                "title": title,
                "formed_date": formed,
                "category": category,
                "doc_no": f"厦人社〔{formed.year}〕{n}号",
                "keywords": "社保 公开",
            }
            item_id = items.create(db, data, cal=cal, today=today)
            print(f"C {item_id} {title}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
