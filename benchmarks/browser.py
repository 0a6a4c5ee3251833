"""Open a page in headless Chromium with the network blocked and time it.

Chromium is started as ``tests/conftest.py`` starts it (Debian's ``chromium`` and
``chromedriver``; every request goes to a proxy that is not there), with a new profile for
every page, so that no run inherits another's caches. Pages are opened from ``file://``.

Before any of the page's own scripts run, a small script is installed with the DevTools
protocol (``Page.addScriptToEvaluateOnNewDocument``): it notes every ``L.Map`` Leaflet creates
(an init hook, installed the moment the page sets ``window.L``) and every uncaught error. The
page *opens* when Leaflet's ``load`` has fired (``map._loaded``), the map holds at least as many
vector layers and markers as the data has features, and a frame has been painted after that
(``requestAnimationFrame``, then a message: the callback runs once the frame is out). The time
is ``performance.now()`` then, i.e. milliseconds since the navigation started. Every page
measured builds one Leaflet layer per feature: ours (the data-driven page) a marker per point,
or above its canvas threshold a circle on the points' own canvas, and a path per zone and link;
the canvas page and explore()'s one layer per GeoJSON feature. So "as many layers as
features" is "every feature added", on each of them (base layers only add to the count).

A toggle is timed the same way: from the ``click()`` on the layer's check box to the first
painted frame after it; the layer count before and after shows the switch happened.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil
from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service

_HOOK = """
(function () {
  var B = window.__bench = {errors: [], maps: [], opened: null, expected: __EXPECTED__};
  window.addEventListener("error", function (event) {
    B.errors.push(String(event.message || event.error || event));
  });
  var leaflet;
  Object.defineProperty(window, "L", {configurable: true, enumerable: true,
    get: function () { return leaflet; },
    set: function (value) {
      leaflet = value;
      if (value && value.Map && !value.__benchHooked) {
        value.__benchHooked = true;
        value.Map.addInitHook(function () { B.maps.push(this); });
        // From here on a plain global again, as fast as the page expects it to be.
        Object.defineProperty(window, "L", {configurable: true, enumerable: true,
                                            writable: true, value: value});
      }
    }});
  B.count = function () {
    var n = 0;
    B.maps.forEach(function (map) {
      map.eachLayer(function (layer) {
        // Our canvas page keeps a hidden group's circles on the map, not shown (spmGroup.on).
        var hidden = layer.spmGroup && !layer.spmGroup.on;
        if ((layer instanceof leaflet.Path || layer instanceof leaflet.Marker) && !hidden) { n++; }
      });
    });
    return n;
  };
  B.afterPaint = function (callback) {
    requestAnimationFrame(function () {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { callback(performance.now()); };
      channel.port2.postMessage(0);
    });
  };
  function poll() {
    var map = B.maps[0];
    if (map && map._loaded && B.count() >= B.expected) {
      B.afterPaint(function (now) { B.opened = now; });
      return;
    }
    setTimeout(poll, 10);
  }
  setTimeout(poll, 0);
})();
"""

_WAIT_OPEN = """
var done = arguments[arguments.length - 1];
(function wait() {
  var B = window.__bench;
  if (!B) { done({error: "the measuring script did not run"}); return; }
  if (B.opened !== null) { done({opened: B.opened, errors: B.errors, layers: B.count()}); return; }
  if (B.errors.length && document.readyState === "complete") {
    setTimeout(function () {
      if (B.opened === null) { done({errors: B.errors, layers: B.count()}); } else { wait(); }
    }, 500);
    return;
  }
  setTimeout(wait, 20);
})();
"""

_TOGGLE = """
var find = new Function(arguments[0]), done = arguments[arguments.length - 1];
var box = find(), B = window.__bench;
if (!box) { done({error: "no check box for the layer"}); return; }
var before = B.count(), started = performance.now();
box.click();
B.afterPaint(function (now) { done({ms: now - started, before: before, after: B.count()}); });
"""


@dataclass
class Opened:
    """What one opening of a page gave."""

    ok: bool
    open_ms: float | None = None
    load_event_ms: float | None = None
    wall_s: float | None = None
    layers: int | None = None
    toggle_off_ms: float | None = None
    toggle_on_ms: float | None = None
    toggled_layers: int | None = None
    error: str = ""
    console: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _binary(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(f"none of {names} is installed (apt-get install chromium "
                       "chromium-driver)")


def _start(profile: Path) -> webdriver.Chrome:
    """Headless Chromium as in tests/conftest.py (network blocked), plus file access for the
    fonts a style sheet on file:// may load."""
    options = webdriver.ChromeOptions()
    options.binary_location = _binary("chromium", "chromium-browser")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 "--window-size=1280,900", "--allow-file-access-from-files",
                 "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(_binary("chromedriver")))


def _stop(driver: webdriver.Chrome) -> None:
    """Quit Chromium; then end whatever chromedriver started that is still there, by pid."""
    process = driver.service.process
    tree: list[psutil.Process] = []
    with contextlib.suppress(psutil.Error):
        tree = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    with contextlib.suppress(WebDriverException):
        driver.quit()
    for child in tree:
        with contextlib.suppress(psutil.Error):
            if child.is_running():
                child.kill()


def _console(driver: webdriver.Chrome) -> list[str]:
    try:
        return [f"{e['level']}: {e['message'][:300]}" for e in driver.get_log("browser")
                if e["level"] in ("SEVERE", "WARNING")]
    except WebDriverException:
        return []


def open_page(path: Path, expected: int, toggle: str | None = None, *,
              timeout: float = 180.0) -> Opened:
    """Open ``path`` and time it (see the module docstring); never raises for the page.

    ``toggle`` is the body of a JavaScript function returning the check box to click.
    """
    with tempfile.TemporaryDirectory(prefix="bench-chromium-") as profile:
        driver = _start(Path(profile))
        try:
            return _measure(driver, path, expected, toggle, timeout)
        finally:
            _stop(driver)


def _measure(driver: webdriver.Chrome, path: Path, expected: int, toggle: str | None,
             timeout: float) -> Opened:
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                           {"source": _HOOK.replace("__EXPECTED__", str(int(expected)))})
    # Selenium's own HTTP requests to chromedriver must outlast the page's time-out.
    driver.command_executor._client_config.timeout = timeout + 120
    driver.set_page_load_timeout(timeout)
    driver.set_script_timeout(timeout)
    started = time.perf_counter()
    try:
        driver.get(path.resolve().as_uri())
        state = driver.execute_async_script(_WAIT_OPEN)
    except TimeoutException:
        return Opened(ok=False, wall_s=time.perf_counter() - started,
                      error=f"time-out: not open after {timeout:.0f} s",
                      console=_console(driver))
    except WebDriverException as error:
        return Opened(ok=False, wall_s=time.perf_counter() - started,
                      error=f"browser: {error.msg or error}".splitlines()[0][:300],
                      console=_console(driver))
    wall = time.perf_counter() - started
    load = driver.execute_script(
        "var e = performance.getEntriesByType('navigation')[0];"
        "return e ? e.loadEventEnd : null;")
    if "opened" not in state:
        message = "; ".join(state.get("errors") or [state.get("error", "did not open")])
        return Opened(ok=False, wall_s=wall, load_event_ms=load, layers=state.get("layers"),
                      error=f"page error: {message}"[:500], console=_console(driver))
    result = Opened(ok=True, open_ms=state["opened"], load_event_ms=load, wall_s=wall,
                    layers=state["layers"], console=_console(driver))
    if toggle:
        try:
            off = driver.execute_async_script(_TOGGLE, toggle)
            on = driver.execute_async_script(_TOGGLE, toggle)
        except (TimeoutException, WebDriverException) as error:
            result.error = f"toggle: {str(error).splitlines()[0][:300]}"
            return result
        if "error" in off or "error" in on:
            result.error = f"toggle: {off.get('error') or on.get('error')}"
            return result
        result.toggle_off_ms, result.toggle_on_ms = off["ms"], on["ms"]
        result.toggled_layers = off["before"] - off["after"]
        if off["after"] >= off["before"] or on["after"] != off["before"]:
            result.error = (f"toggle did not switch the layer: {off['before']} → "
                            f"{off['after']} → {on['after']} layers")
    return result


if __name__ == "__main__":
    import sys

    print(json.dumps(open_page(Path(sys.argv[1]), int(sys.argv[2]),
                               sys.argv[3] if len(sys.argv) > 3 else None,
                               timeout=float(sys.argv[4]) if len(sys.argv) > 4 else 180.0
                               ).as_dict(), indent=1))
