"""How the tests drive the console's page: logging in, the composer, the command cards."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.web.conftest import TOKEN, System


def log_in(page: Page, system: System, telemetry: bool = True) -> None:
    page.goto(system.url)
    connect(page)
    if telemetry:
        # The first housekeeping is on the ground before the test starts: the table shows it.
        expect(odometer_cell(page)).not_to_have_text("—")


def connect(page: Page) -> None:
    """Logs in from the login screen already shown, and waits for the live stream."""
    page.get_by_label("Operator token").fill(TOKEN)
    page.get_by_role("button", name="Connect").click()
    expect(page.locator("#stream-state")).to_have_text("LIVE", timeout=15_000)


def odometer_cell(page: Page) -> Locator:
    return page.locator('.tm-table tr[data-channel="odometer_m"] td.val')


def composer(page: Page) -> Locator:
    return page.get_by_role("region", name="Command composer")


def card(page: Page, command_id: int) -> Locator:
    return page.locator(f'.cmd-card[data-command-id="{command_id}"]')


def pick_command(page: Page, name: str) -> None:
    composer(page).get_by_label("Command", exact=True).select_option(name)


def sent_command_id(page: Page, name: str) -> int:
    """The id the composer reports for what it just sent (``#12 DRIVE queued``)."""
    result = page.locator("#send-result")
    expect(result).to_have_text(re.compile(rf"^#\d+ {name} "))
    match = re.match(r"#(\d+) ", result.inner_text())
    assert match is not None
    return int(match.group(1))




def send(page: Page, name: str, **args: str) -> int:
    """Compose and send a command as an operator would; its id once the console shows it."""
    pick_command(page, name)
    for arg, value in args.items():
        field = page.locator(f"#arg-{arg}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    composer(page).get_by_role("button", name="Send", exact=True).click()
    return sent_command_id(page, name)
