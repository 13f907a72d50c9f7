"""test_page.py: the search page (server/page.html) driven in headless Chromium.

A small index (corpus/*.txt plus the articles below) served by vnsearch-server on a free port;
the page is typed into, clicked and tabbed through as a person would, and what it shows is
compared with the server's JSON for the same query.

Run by ctest (tests/CMakeLists.txt) with VNS_BUILD_DIR and VNS_SOURCE_DIR set; by hand:
  VNS_BUILD_DIR=build python3 -m pytest -q tests/browser
Needs Debian's chromium, chromium-driver and python3-selenium; it skips, saying why, only when
Chromium cannot run.
"""

import glob
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unicodedata
import urllib.parse
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("VNS_SOURCE_DIR") or os.path.normpath(os.path.join(HERE, "..", ".."))
BUILD = os.environ.get("VNS_BUILD_DIR") or os.path.join(SRC, "build")
CHROMIUM = os.environ.get("VNS_CHROMIUM") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("VNS_CHROMEDRIVER") or "/usr/bin/chromedriver"
WAIT_S = 20  # Generous: the machine running the suite may be busy.
PER_PAGE = 10

# Article text that is HTML-like: it must show as text, with no element made from it.
XSS_BODY = "Bài về chuyển đổi số có thẻ <img src=x onerror=alert(1)> và <b>chữ đậm</b> trong văn bản."
XSS_TITLE = "Thử <b>đậm</b> và <script>alert(2)</script> chuyển đổi số"
# Unbroken text that could push a phone's page sideways.
LONG_WORD = "https://example.vn/" + "chuyen-doi-so-" * 12 + "end"


def extra_articles():
    """The articles added to corpus/*.txt: enough matches of chuyển đổi số for two pages, HTML
    as text, a long unbroken word, and 25 uses of xảy ra so that sảy ra gets a suggestion (the
    rule in README, "Misspellings", as in tests/cli/vnsearch_spelling.sh)."""
    arts = [dict(id="xss", title=XSS_TITLE, body=XSS_BODY)]
    for i in range(1, 13):
        arts.append(
            dict(
                id=f"cds-{i:02d}",
                title=f"Bản tin chuyển đổi số số {i}",
                body=f"Tỉnh thứ {i} đẩy mạnh chuyển đổi số trong dịch vụ công trực tuyến.",
                date=f"2024-05-{i:02d}",
                source="baochinhphu.vn",
            )
        )
    arts.append(
        dict(
            id="dai-" + "x" * 90,
            title="Liên kết rất dài về chuyển đổi số " + LONG_WORD,
            body="Xem " + LONG_WORD + " để biết thêm về chuyển đổi số.",
        )
    )
    for i in range(1, 26):
        arts.append(dict(id=f"xr-{i:02d}", title="", body=f"Sự việc xảy ra lúc {i} giờ."))
    return arts


@pytest.fixture(scope="module")
def server():
    """Indexes the articles and serves them on a free port; yields the base URL. The server
    must stop cleanly on SIGTERM (status 0), so a sanitizer report at exit fails the test."""
    tmp = tempfile.mkdtemp(prefix="vns-browser-")
    src = os.path.join(tmp, "src")
    os.mkdir(src)
    for f in glob.glob(os.path.join(SRC, "corpus", "*.txt")):
        shutil.copy(f, src)
    with open(os.path.join(src, "extra.jsonl"), "w", encoding="utf-8") as out:
        for a in extra_articles():
            out.write(json.dumps(a, ensure_ascii=False) + "\n")
    idx = os.path.join(tmp, "idx")
    subprocess.run(
        [os.path.join(BUILD, "vnindex"), "-d", idx, src], check=True, stdout=subprocess.DEVNULL
    )
    log_path = os.path.join(tmp, "server.log")
    log = open(log_path, "w+")
    proc = subprocess.Popen(
        [os.path.join(BUILD, "vnsearch-server"), "--listen", "127.0.0.1:0", "-d", idx],
        stderr=log,
        stdout=subprocess.DEVNULL,
    )
    url = None
    for _ in range(200):
        with open(log_path) as f:
            m = re.search(r"listening on (http://127\.0\.0\.1:\d+)/", f.read())
        if m:
            url = m.group(1)
            break
        assert proc.poll() is None, "vnsearch-server exited: " + open(log_path).read()
        time.sleep(0.05)
    assert url, "vnsearch-server never said where it listens"
    yield url
    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = "still running 20 s after SIGTERM"
    log.close()
    with open(log_path) as f:
        server_log = f.read()
    shutil.rmtree(tmp, ignore_errors=True)
    assert rc == 0, f"vnsearch-server ended with {rc}:\n{server_log}"


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium through chromedriver. Skips (with the reason printed) only when the
    browser cannot run here: selenium, the binary or the driver missing, or a failed start."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as e:
        reason = f"python3-selenium is missing ({e})"
        print("SKIP:", reason)
        pytest.skip(reason)
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            reason = f"{path} is missing (apt-get install chromium chromium-driver)"
            print("SKIP:", reason)
            pytest.skip(reason)
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
              "--window-size=1280,900", "--lang=vi"):
        opts.add_argument(a)
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    except Exception as e:  # Any failure to start the browser: WebDriverException and others.
        reason = f"Chromium does not start here: {str(e).strip().splitlines()[0]}"
        print("SKIP:", reason)
        pytest.skip(reason)
    # Every alert() the page might be tricked into calling is recorded, not shown.
    driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {"source": "window.__alerts = []; window.alert = (x) => window.__alerts.push(String(x));"},
    )
    yield driver
    driver.quit()


# Helpers.


def api(base, q, n=PER_PAGE, offset=0):
    """The server's JSON for a query, as the page asks for it."""
    qs = urllib.parse.urlencode({"q": q, "n": n, "offset": offset})
    with urllib.request.urlopen(f"{base}/search?{qs}", timeout=WAIT_S) as r:
        assert r.status == 200
        return json.load(r)


def wait(driver, js, what):
    """Waits until the JavaScript expression js is truthy; returns its value."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_S, poll_frequency=0.05).until(
        lambda d: d.execute_script("return " + js), message="waited for " + what
    )


def status(driver):
    return driver.execute_script("return document.getElementById('status').textContent")


def wait_status(driver, prefix):
    """Waits for the count line to start with prefix; returns it."""
    wait(driver, f"document.getElementById('status').textContent.startsWith({json.dumps(prefix)})",
         f"a count line starting {prefix!r}, have {status(driver)!r}")
    return status(driver)


def shown(driver):
    """What the page shows for each result: title, meta line, snippet text, and marked texts."""
    return driver.execute_script(
        """
        return Array.from(document.querySelectorAll('#results > li')).map(li => ({
          title: li.querySelector('h2').textContent,
          meta: li.querySelector('.meta').textContent,
          snippet: li.querySelector('.snippet').textContent,
          marks: Array.from(li.querySelectorAll('.snippet mark')).map(m => m.textContent),
        }));"""
    )


def shown_ids(driver):
    return [r["meta"].split(" · ")[0] for r in shown(driver)]


def expected(data):
    """What the page should show for the JSON data: the same fields, with marks sliced from the
    snippet by character offsets."""
    out = []
    for r in data["results"]:
        meta = [r["id"]]
        if r.get("date"):
            meta.append(r["date"][:10])
        if r.get("source"):
            meta.append(r["source"])
        out.append(
            dict(
                title=r["title"] or r.get("heading") or r["id"],
                meta=" · ".join(meta),
                snippet=r["snippet"],
                marks=[r["snippet"][a:b] for a, b in r["highlights_chars"]],
            )
        )
    return out


def count_line(data, page=0):
    first = page * PER_PAGE + 1
    last = page * PER_PAGE + len(data["results"])
    about = "" if data["exact_total"] else "khoảng "
    return f"Kết quả {first}–{last} trong {about}{data['total']} bài ("


def fold(s):
    """Lowercase without diacritics (đ as d), to compare a mark with a query typed plain."""
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d")
    return "".join(c for c in s if not unicodedata.combining(c))


def active_id(driver):
    return driver.execute_script("return document.activeElement && document.activeElement.id")


def wait_box_focused(driver):
    """The box has focus at load (autofocus, applied by Chromium at its next rendering step,
    which may come just after the load event the driver waited for)."""
    wait(driver, "document.activeElement && document.activeElement.id === 'q'",
         "the search box to have focus at load")


def type_keys(element, text):
    """Types text one key at a time, as a person would (each key an input event)."""
    for ch in text:
        element.send_keys(ch)
        time.sleep(0.03)


def no_alerts(driver):
    assert driver.execute_script("return window.__alerts") == []


# The tests.


def test_typing_plain_finds_accented(server, browser):
    """Typed without diacritics, key by key: the results as the server gives them, with the
    accented words in <mark>, and the count line."""
    d = browser
    d.get(server + "/")
    wait_box_focused(d)
    type_keys(d.find_element("id", "q"), "chuyen doi so")
    data = api(server, "chuyen doi so")
    assert data["total"] > PER_PAGE, "the index holds more than one page"
    line = wait_status(d, "Kết quả 1–10 ")
    assert line.startswith(count_line(data)), line
    got = shown(d)
    assert got == expected(data)
    titles = [r["title"] for r in got]
    assert len(titles) == PER_PAGE and all(titles), titles
    assert "Bản tin chuyển đổi số số 1" in titles
    marks = [m for r in got for m in r["marks"]]
    assert marks, "matches are marked"
    for m in marks:
        assert fold(m) in ("chuyen", "doi", "so", "chuyen doi so"), m
    marked = set(" ".join(marks).lower().split())
    assert {"chuyển", "đổi", "số"} <= marked, marks
    # The address is a link to this search.
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(d.current_url).query) == {
        "q": ["chuyen doi so"]
    }
    no_alerts(d)


def test_next_page(server, browser):
    """Trang sau shows results 11 on, others than page 1; Trang trước comes back."""
    d = browser
    d.get(server + "/?q=" + urllib.parse.quote("chuyen doi so"))
    wait_status(d, "Kết quả 1–10 ")
    first = shown_ids(d)
    titles = [r["title"] for r in shown(d)]
    assert d.find_element("id", "prev").get_attribute("disabled") is not None
    d.find_element("id", "next").click()
    data2 = api(server, "chuyen doi so", offset=PER_PAGE)
    line = wait_status(d, "Kết quả 11–")
    assert line.startswith(count_line(data2, page=1)), line
    assert shown(d) == expected(data2)
    second = shown_ids(d)
    assert second and not set(second) & set(first)
    # The seed articles are among the matches, on one page or the other.
    titles += [r["title"] for r in shown(d)]
    assert "Mỗi địa phương có 1 đề án chuyển đổi số" in titles
    assert d.find_element("id", "pageno").text == "Trang 2"
    assert d.find_element("id", "prev").get_attribute("disabled") is None
    assert d.find_element("id", "next").get_attribute("disabled") is not None
    assert "page=2" in d.current_url
    d.find_element("id", "prev").click()
    wait_status(d, "Kết quả 1–10 ")
    assert shown_ids(d) == first


def test_q_link(server, browser):
    """A link to a search (?q= and &page=) opens with its results."""
    d = browser
    q = "chuyển đổi số"
    d.get(f"{server}/?q={urllib.parse.quote(q)}&page=2")
    data = api(server, q, offset=PER_PAGE)
    wait_status(d, "Kết quả 11–")
    assert d.find_element("id", "q").get_attribute("value") == q
    assert shown(d) == expected(data)
    assert d.title.startswith(q)


def test_article_text_is_never_html(server, browser):
    """Titles and snippets holding tags show them as text: no element is made, nothing runs."""
    d = browser
    d.get(server + "/?q=onerror")
    wait_status(d, "Kết quả 1–1 ")
    got = shown(d)
    assert [r["meta"] for r in got] == ["xss"]
    assert got[0]["title"] == XSS_TITLE
    assert got[0]["snippet"] == XSS_BODY
    assert got[0]["marks"] == ["onerror"]
    made = d.execute_script(
        "return document.querySelectorAll('#results img, #results b, #results script').length"
    )
    assert made == 0
    # What is on screen is the tags' text itself.
    li = d.find_element("css selector", "#results > li")
    assert "<img src=x onerror=alert(1)>" in li.text
    assert "<script>alert(2)</script>" in li.text
    time.sleep(0.3)  # An onerror would have fired by now.
    no_alerts(d)


def test_did_you_mean(server, browser):
    """sảy ra: the page offers xảy ra; following the link searches it and updates the address."""
    d = browser
    data = api(server, "sảy ra")
    assert data.get("suggestion") == "xảy ra", data
    d.get(server + "/")
    type_keys(d.find_element("id", "q"), "sảy ra")
    wait(d, "!document.getElementById('suggest').hidden", "the suggestion line")
    sug = d.find_element("id", "suggest")
    assert sug.text == "Có phải bạn muốn tìm: xảy ra"
    link = sug.find_element("tag name", "a")
    assert urllib.parse.unquote(link.get_attribute("href")).endswith("?q=xảy ra")
    link.click()
    want = api(server, "xảy ra")
    wait_status(d, count_line(want))
    assert d.find_element("id", "q").get_attribute("value") == "xảy ra"
    assert shown(d) == expected(want)
    assert d.find_element("id", "suggest").get_attribute("hidden") is not None
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(d.current_url).query) == {"q": ["xảy ra"]}


def test_searched_for(server, browser):
    """A query typed in Telex: the page says what was searched (Đã tìm:)."""
    d = browser
    q = "chuyeenr ddooir soos"
    data = api(server, q)
    assert data.get("searched_for") == "chuyển đổi số", data
    d.get(server + "/?q=" + urllib.parse.quote(q))
    wait_status(d, "Kết quả 1–10 ")
    assert d.find_element("id", "searched").text == "Đã tìm: chuyển đổi số"
    assert shown(d) == expected(data)


def test_clearing_the_box_clears_everything(server, browser):
    """Emptying the box leaves no results, count, suggestion, Searched for line or page
    buttons from the last query."""
    d = browser
    d.get(server + "/?q=" + urllib.parse.quote("sảy ra"))
    wait(d, "!document.getElementById('suggest').hidden", "the suggestion line")
    d.get(server + "/?q=" + urllib.parse.quote("chuyeenr ddooir soos"))
    wait_status(d, "Kết quả 1–10 ")
    box = d.find_element("id", "q")
    box.send_keys(*["\b"] * len("chuyeenr ddooir soos"))
    wait(d, "document.getElementById('status').textContent === ''", "an empty count line")
    time.sleep(0.5)  # Past the debounce: nothing comes back.
    left = d.execute_script(
        """const $ = (id) => document.getElementById(id);
        return {results: $('results').children.length, status: $('status').textContent,
                searched: $('searched').hidden, suggest: $('suggest').hidden,
                pages: $('pages').hidden};"""
    )
    assert left == dict(results=0, status="", searched=True, suggest=True, pages=True)


def test_keyboard(server, browser):
    """The box has focus at load, Enter searches (without waiting for typing to pause), and Tab
    reaches the page buttons, which work from the keyboard."""
    from selenium.webdriver.common.keys import Keys

    d = browser
    d.get(server + "/")
    wait_box_focused(d)
    # The value set without an input event: only Enter can start this search.
    d.execute_script("document.getElementById('q').value = 'chuyen doi so'")
    time.sleep(0.5)
    assert status(d) == ""
    d.switch_to.active_element.send_keys(Keys.ENTER)
    wait_status(d, "Kết quả 1–10 ")
    first = shown_ids(d)
    # Tab from the box to Trang sau (Trang trước is disabled on page 1, so skipped).
    reached = []
    for _ in range(8):
        d.switch_to.active_element.send_keys(Keys.TAB)
        reached.append(active_id(d) or d.switch_to.active_element.tag_name)
        if reached[-1] == "next":
            break
    assert reached[-1] == "next", reached
    d.switch_to.active_element.send_keys(Keys.ENTER)
    wait_status(d, "Kết quả 11–")
    assert not set(shown_ids(d)) & set(first)
    # On the last page Trang sau is disabled: the focus moves to Trang trước (or, when the
    # browser had already dropped it, Shift+Tab from the page reaches it).
    from selenium.webdriver.common.action_chains import ActionChains

    for _ in range(8):
        if active_id(d) == "prev":
            break
        ActionChains(d).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert active_id(d) == "prev"
    d.switch_to.active_element.send_keys(Keys.SPACE)
    wait_status(d, "Kết quả 1–10 ")
    assert shown_ids(d) == first


def test_phone(server, browser):
    """On a 375x667 phone nothing overflows sideways: results, a long unbroken link, the page
    buttons."""
    d = browser
    d.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 375, "height": 667, "deviceScaleFactor": 2, "mobile": True},
    )
    try:
        for q, page in (("chuyen doi so", 1), ("chuyen doi so", 2), ("lien ket rat dai", 1),
                        ("onerror", 1), ("sảy ra", 1)):
            d.get(f"{server}/?q={urllib.parse.quote(q)}&page={page}")
            wait(d, "document.getElementById('status').textContent !== ''", "an answer to " + q)
            assert d.execute_script("return window.innerWidth") == 375
            sw, iw = d.execute_script(
                "return [document.scrollingElement.scrollWidth, window.innerWidth]"
            )
            assert sw <= iw, f"{q!r} page {page}: {sw} px wide in a {iw} px window"
            if q == "lien ket rat dai":
                # The long link is there, wrapped rather than cut.
                assert LONG_WORD in d.find_element("id", "results").text.replace("\n", "")
    finally:
        d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
