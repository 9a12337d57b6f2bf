"""Run Rasa's CLI with FamilyBot's action timeout, which Rasa 3.6 cannot take from a file.

Rasa 3.6.21 waits up to 300 s for every custom action (`DEFAULT_REQUEST_TIMEOUT`,
read at call time in `rasa.core.actions.action`) and ignores `action_endpoint.timeout`.
A short timeout makes a stuck action fail fast: Rasa logs it and the turn goes on.
Usage: python -m bot.rasa_launcher run --model ... (the arguments of `rasa`).
"""

from __future__ import annotations


def apply_action_timeout(seconds: int) -> None:
    """Make Rasa give up on a custom action call after `seconds`."""
    import rasa.core.actions.action as action_module

    action_module.DEFAULT_REQUEST_TIMEOUT = seconds


def main() -> None:
    from bot.settings import get_settings

    apply_action_timeout(get_settings().action_timeout)
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
