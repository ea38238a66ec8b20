"""A polite HTTP client for one crawl: robots.txt, a delay per host, retries, a size cap.

Everything HTTP is `requests` (one `Session`, so connections to a portal are reused)
and urllib3's `Retry` (a 5xx or a dropped connection is retried a few times with
exponential backoff, a ``Retry-After`` obeyed up to a minute); robots.txt is read
by the standard library's `urllib.robotparser`. What this module adds is the policy:

* every request names the project in its User-Agent and has a timeout;
* requests to one host are at least `delay` seconds apart (or the robots.txt
  ``Crawl-delay``, if longer);
* robots.txt is fetched once per host and obeyed as RFC 9309 says: a 4xx means no
  rules, a 5xx or an unreachable file means stay out of the whole host;
* redirects are followed by hand, at most `MAX_REDIRECTS`, each hop checked against
  robots.txt, and never to another host (the crawl stays on the portal it was given);
* a body larger than `max_bytes`, or one still arriving after `DOWNLOAD_SECONDS`,
  is abandoned.

`Client.get` never raises for a network or HTTP failure: the `Answer` carries the
status (an HTTP status, or an error word like ``"timeout"``) and one sentence.
"""
from __future__ import annotations

import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from config.settings import current

PRODUCT = "gov-report-search"
USER_AGENT = (f"{PRODUCT}/1.0 (polite crawler of government-information-disclosure "
              "annual reports; python-requests)")
CONNECT_SECONDS, READ_SECONDS = 10.0, 30.0
DOWNLOAD_SECONDS = 300.0            # a whole body, however slowly it drips
MAX_REDIRECTS = 5
RETRIED_STATUSES = (500, 502, 503, 504)
_CHUNK = 64 * 1024


@dataclass
class Answer:
    """What one GET gave: the final status and body, and where redirects led."""

    url: str
    status: int | str                   # HTTP status, or an error word ("timeout", "robots", …)
    final_url: str = ""
    content: bytes = b""
    headers: dict = field(default_factory=dict)
    redirects: list[str] = field(default_factory=list)   # each URL that redirected, in order
    error: str = ""                     # one sentence when the answer is not a 200 or 304

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def host_of(url: str) -> str:
    """The host and port a URL names, lower-cased: the unit of politeness and of scope."""
    return urlsplit(url).netloc.lower()


class Client:
    """One crawl's HTTP: a reused session, robots.txt per host, a delay per host."""

    def __init__(self, delay: float = 1.0, retries: int = 3, backoff: float = 0.5,
                 max_bytes: int | None = None, user_agent: str = USER_AGENT,
                 timeout: tuple[float, float] = (CONNECT_SECONDS, READ_SECONDS)):
        # By default the cap the parser puts on a file (the settings' ``max_file_mb``).
        max_bytes = current().max_file_bytes if max_bytes is None else max_bytes
        self.delay, self.retries, self.max_bytes, self.timeout = delay, retries, max_bytes, timeout
        self.user_agent = user_agent
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        retry = Retry(total=retries, connect=retries, read=retries, status=retries, redirect=0,
                      allowed_methods={"GET"}, status_forcelist=RETRIED_STATUSES,
                      backoff_factor=backoff, raise_on_status=False, raise_on_redirect=False,
                      respect_retry_after_header=True, retry_after_max=60)
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._robots_failed: dict[str, Answer] = {}   # host -> why its robots.txt was unreadable
        self._last: dict[str, float] = {}   # host -> when its last request ended

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- politeness ------------------------------------------------------------------

    def allowed(self, url: str) -> bool:
        """Whether the host's robots.txt lets this crawler fetch `url`."""
        return self._rules(url).can_fetch(self.user_agent, url)

    def _rules(self, url: str) -> urllib.robotparser.RobotFileParser:
        host = host_of(url)
        if host not in self._robots:
            parts = urlsplit(url)
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            rules = urllib.robotparser.RobotFileParser(robots_url)
            answer = self._get(robots_url, {})
            if answer.ok:
                rules.parse(answer.content.decode("utf-8", "replace").splitlines())
            elif isinstance(answer.status, int) and 400 <= answer.status < 500:
                rules.allow_all = True           # no robots.txt: no rules (RFC 9309 2.3.1.3)
            else:
                rules.disallow_all = True        # unreachable: assume full disallow (2.3.1.4)
                self._robots_failed[host] = answer
            self._robots[host] = rules
        return self._robots[host]

    def _wait(self, host: str) -> None:
        """Sleep until `delay` (or the host's Crawl-delay) has passed since its last request."""
        gap = self.delay
        rules = self._robots.get(host)
        if rules is not None:
            gap = max(gap, float(rules.crawl_delay(self.user_agent) or 0))
        last = self._last.get(host)
        if last is not None and gap > 0:
            time.sleep(max(0.0, last + gap - time.monotonic()))

    # --- requests --------------------------------------------------------------------

    def get(self, url: str, validators: dict | None = None) -> Answer:
        """GET `url` (with `validators`, e.g. If-None-Match, on every hop), following
        same-host redirects that robots.txt allows; never raises for a failure."""
        if not self.allowed(url):
            failed = self._robots_failed.get(host_of(url))
            if failed is not None and not isinstance(failed.status, int):
                return Answer(url, failed.status, url, error=failed.error)  # the host is down
            if failed is not None:
                return Answer(url, "robots", url, error=f"its host's robots.txt could not be read "
                              f"(HTTP {failed.status}), so the whole host is off limits.")
            return Answer(url, "robots", url, error="robots.txt disallows it.")
        redirects: list[str] = []
        current = url
        while True:
            answer = self._get(current, validators or {})
            if answer.status not in (301, 302, 303, 307, 308) or "location" not in answer.headers:
                answer.url, answer.redirects = url, redirects
                return answer
            redirects.append(current)
            target = urljoin(current, answer.headers["location"])
            if host_of(target) != host_of(url):
                return Answer(url, "off-host", target, redirects=redirects,
                              error=f"it redirects to another host ({host_of(target)}).")
            if len(redirects) > MAX_REDIRECTS:
                return Answer(url, "redirect-loop", target, redirects=redirects,
                              error=f"it redirects more than {MAX_REDIRECTS} times.")
            if not self.allowed(target):
                return Answer(url, "robots", target, redirects=redirects,
                              error="it redirects to a page robots.txt disallows.")
            current = target

    def _get(self, url: str, headers: dict) -> Answer:
        """One request, no redirect followed; the body read up to the size cap."""
        host = host_of(url)
        self._wait(host)
        try:
            with self.session.get(url, headers=headers, timeout=self.timeout, stream=True,
                                  allow_redirects=False) as response:
                answer = Answer(url, response.status_code, url, headers={
                    key.lower(): value for key, value in response.headers.items()})
                if response.is_redirect:
                    answer.headers["location"] = self.session.get_redirect_target(response)
                elif response.status_code == 200:
                    self._read_body(response, answer)
                elif response.status_code != 304:
                    answer.error = _status_sentence(response, self.retries)
                return answer
        except requests.exceptions.Timeout:
            return Answer(url, "timeout", url, error="the server did not answer in time.")
        except requests.exceptions.SSLError:
            return Answer(url, "tls-error", url, error="its TLS certificate could not be verified.")
        except requests.exceptions.ConnectionError:
            return Answer(url, "connection-error", url, error="the server could not be reached.")
        except requests.exceptions.RequestException as exc:
            return Answer(url, "error", url, error=f"the request failed ({type(exc).__name__}).")
        finally:
            self._last[host] = time.monotonic()

    def _read_body(self, response: requests.Response, answer: Answer) -> None:
        """Read the body into `answer`, or mark it too large or too slow."""
        cap = self.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            answer.status, answer.error = "too-large", _too_large(cap)
            return
        chunks, size, deadline = [], 0, time.monotonic() + DOWNLOAD_SECONDS
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if size > cap:
                answer.status, answer.error = "too-large", _too_large(cap)
                return
            if time.monotonic() > deadline:
                answer.status = "timeout"
                answer.error = f"the download took longer than {DOWNLOAD_SECONDS:g} s."
                return
            chunks.append(chunk)
        answer.content = b"".join(chunks)


def _too_large(cap: int) -> str:
    return f"the file is larger than {cap // (1024 * 1024)} MB."


def _status_sentence(response: requests.Response, retries: int) -> str:
    reason = f"HTTP {response.status_code}" + (f" {response.reason}" if response.reason else "")
    if response.status_code in RETRIED_STATUSES:
        return f"the server answered {reason}, also after {retries} retries."
    return f"the server answered {reason}."
