"""Debian's Firefox ESR, driven over WebDriver BiDi (the W3C protocol Firefox speaks itself), for the checks the issue
asks of both engines. Playwright's Firefox needs its own patched build, which cannot be downloaded here, and its
stock-Firefox channel (moz-firefox) asks for BiDi commands this ESR does not have yet (emulation.
setMediaFeaturesOverride): so a few commands, sent over one WebSocket (the `websockets` package), are enough."""

import json
import re
import subprocess
import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path

from websockets.sync.client import connect

FIREFOX = "/usr/bin/firefox-esr"

# A fresh profile that does not reach out on its own (the remote agent adds its recommended settings too).
PREFS = {
    "app.update.disabledForTesting": True,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.page": 0,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    # As the Chromium tests' contexts block it: the service worker would precache the whole app at the first page.
    "dom.serviceWorkers.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "extensions.update.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
}


class BidiError(RuntimeError):
    pass


class Firefox:
    """One headless Firefox with one tab: navigate it, size it, run a function in the page."""

    def __init__(self, executable: str = FIREFOX, timeout: float = 30):
        self._profile = tempfile.TemporaryDirectory(prefix="safesteps-firefox-")
        prefs = "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in PREFS.items())
        Path(self._profile.name, "user.js").write_text(prefs)
        self._process = subprocess.Popen(
            [executable, "--headless", "--no-remote", "--profile", self._profile.name, "--remote-debugging-port=0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        url = None
        for line in self._process.stderr:  # Firefox says where it listens once it is ready
            if found := re.search(r"WebDriver BiDi listening on (ws://\S+)", line):
                url = found.group(1)
                break
        if url is None:
            self.close()
            raise BidiError(f"{executable} stopped before its WebDriver BiDi server started")
        # Whatever Firefox says after that is read and dropped, so that a full pipe never blocks it.
        threading.Thread(target=self._process.stderr.read, daemon=True).start()
        self._timeout = timeout
        self._next_id = 0
        self._closing = ExitStack()
        self._socket = self._closing.enter_context(connect(f"{url}/session", max_size=None, open_timeout=timeout))
        self.version = self.send("session.new", {"capabilities": {}})["capabilities"]["browserVersion"]
        self.context = self.send("browsingContext.getTree", {})["contexts"][0]["context"]

    def send(self, method: str, params: dict) -> dict:
        self._next_id += 1
        self._socket.send(json.dumps({"id": self._next_id, "method": method, "params": params}))
        while True:  # events may come first; the answer carries the command's id
            message = json.loads(self._socket.recv(timeout=self._timeout))
            if message.get("id") == self._next_id:
                if message["type"] == "error":
                    raise BidiError(f"{method}: {message['error']}: {message['message']}")
                return message["result"]

    def set_viewport(self, width: int, height: int) -> None:
        self.send(
            "browsingContext.setViewport", {"context": self.context, "viewport": {"width": width, "height": height}}
        )

    def goto(self, url: str) -> None:
        self.send("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def call(self, function: str):
        """Run a JavaScript function (its source, as for Playwright's page.evaluate) and return its JSON result."""
        result = self.send(
            "script.callFunction",
            {
                # Serialised in the page, so the answer is plain JSON rather than BiDi's typed remote values.
                "functionDeclaration": f"async () => JSON.stringify(await ({function})())",
                "target": {"context": self.context},
                "awaitPromise": True,
            },
        )
        if result["type"] == "exception":
            raise BidiError(result["exceptionDetails"]["text"])
        value = result["result"]  # a string, or undefined for a function that returns nothing
        return json.loads(value["value"]) if value["type"] == "string" else None

    def close(self) -> None:
        if getattr(self, "_closing", None) is not None:
            self._closing.close()
        self._process.terminate()  # a headless browser with nothing to save: no need to wait for a clean close
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._profile.cleanup()
