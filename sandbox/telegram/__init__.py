"""A Telegram Bot API emulator with a control API and a web chat (see README.md in this package).

- `TelegramEmulator`: the server (Bot API at {base}/bot{token}/{method}, control API at {base}/_sandbox/,
  web chat at {base}/).
- `SandboxClient` / `SandboxUser`: the control API client that end-to-end tests use.
- `sandbox.telegram.browser`: headless Chromium helpers for the web chat.
"""

from .client import SandboxClient, SandboxError, SandboxMessage, SandboxUser
from .server import TelegramEmulator

__all__ = ["SandboxClient", "SandboxError", "SandboxMessage", "SandboxUser", "TelegramEmulator"]
