"""Phone (390x844) screenshots of the demo portal for each demo role, with layout measurements.

usage: phone_shots.py BASE_URL OUT_DIR MEASURE_IDS INDICATOR_IDS REPORT_YEAR (ids comma-separated)
e.g. against `make run`: .venv/bin/python bin/phone_shots.py http://127.0.0.1:8000 \
     test-results/phone/now 1,5 4,7 2016
Writes OUT_DIR/<role>-<page>.png and OUT_DIR/measurements.json (a page's scrollWidth, and how
many status badges and action buttons of its tables lie beyond the screen's 390 px).
"""

import json
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

base, out, measure_id, indicator_id, report_year = sys.argv[1:6]
out = Path(out)
out.mkdir(parents=True, exist_ok=True)
PASSWORD = "demo-khv-2026"
ROLES = ["viewer.umims", "editor.umims", "head.umims", "administrator"]
PAGES = {
    "home": "/",
    **{f"measure-{m}": f"/plans/measures/{m}/" for m in measure_id.split(",")},
    **{f"indicator-{i}": f"/indicators/{i}/" for i in indicator_id.split(",")},
    "my-work": "/my-work/",
    "partners-cities": "/partners/cities/",
    "partners-organisations": "/partners/organisations/",
    "partners-agreements": "/partners/agreements/",
    "partners-delegations": "/partners/delegations/",
    "partners-exchanges": "/partners/exchanges/",
    "partners-events": "/partners/events/",
}
MEASURE = """() => {
  const W = window.innerWidth;
  const visible = (e) => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
     return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
  const inTables = (sel) => Array.from(document.querySelectorAll(sel)).filter(visible);
  const off = (els) => els.filter((e) => { const r = e.getBoundingClientRect();
     return r.left < -1 || r.right > W + 1; });
  const status = inTables('main table .badge');
  const actions = inTables('main table button, main table a.btn, main table input[type=submit]');
  const wrappers = Array.from(document.querySelectorAll('.table-responsive'))
     .filter((e) => e.scrollWidth > e.clientWidth + 1)
     .map((e) => ({scrollWidth: e.scrollWidth, clientWidth: e.clientWidth}));
  const tables = Array.from(document.querySelectorAll('main table')).filter(visible).length;
  return {
    docScrollWidth: document.documentElement.scrollWidth,
    tables,
    status: status.length, statusOff: off(status).length,
    actions: actions.length, actionsOff: off(actions).length,
    innerScrollWrappers: wrappers,
  };
}"""

results = {}
with sync_playwright() as p:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    browser = p.chromium.launch(
        executable_path=exe, headless=True, args=["--no-sandbox", "--disable-gpu"]
    )
    for role in ROLES:
        ctx = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 844})
        page = ctx.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", role)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]:has-text('Войти')")
        page.wait_for_load_state("networkidle")
        assert "/accounts/login" not in page.url, (role, page.url)
        for name, url in PAGES.items():
            response = page.goto(f"{base}{url}")
            page.wait_for_load_state("networkidle")
            m = page.evaluate(MEASURE)
            m["status_code"] = response.status
            m["url"] = url
            path = out / f"{role.split('.')[0]}-{name}.png"
            page.screenshot(path=str(path), full_page=True)
            m["png"] = str(path)
            results[f"{role}:{name}"] = m
            print(role, name, json.dumps(m, ensure_ascii=False), flush=True)
        ctx.close()
    # Desktop: the annual report at 1366 px, as the head (who sees the reasons' forms).
    ctx = browser.new_context(locale="ru-RU", viewport={"width": 1366, "height": 768})
    page = ctx.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "head.umims")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Войти')")
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/dashboards/report/{report_year}/")
    page.wait_for_load_state("networkidle")
    m = page.evaluate("""() => ({
      docScrollWidth: document.documentElement.scrollWidth,
      tables: Array.from(document.querySelectorAll('table[id^=report-indicators-]')).map((t) => ({
        id: t.id, wrapperScroll: t.parentElement.scrollWidth,
        wrapperClient: t.parentElement.clientWidth,
        right: Math.round(t.getBoundingClientRect().right)})),
    })""")
    path = out / f"desktop-1366-report-{report_year}.png"
    page.screenshot(path=str(path), full_page=True)
    m["png"] = str(path)
    results["head.umims:desktop-report"] = m
    print("desktop", json.dumps(m, ensure_ascii=False))
    browser.close()
(out / "measurements.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
