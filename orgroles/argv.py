"""Where options may go on the command line: shared by the CLI and the completion fast path
(which must not import Typer)."""

GLOBAL_FLAGS = ("--no-cache", "--debug", "--no-people")
GLOBAL_VALUES = ("--data",)
COMMAND_VALUES = ("--lang",)  # every answering command takes it: accepted before the command too
COMMAND_FLAGS = ("--json",)


def hoist_globals(args: list[str]) -> list[str]:
    """Let options go before or after the command: the global ones move to the front (Click
    reads them only there: ``orgroles tree --data x.yaml``), and ``--lang`` and ``--json`` typed
    before the command move after it (``orgroles --lang en tree``). Nothing after ``--`` moves."""
    front: list[str] = []
    rest: list[str] = []
    late: list[str] = []  # command options typed before the command
    seen_command = False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg in GLOBAL_FLAGS or arg.startswith(tuple(f"{v}=" for v in GLOBAL_VALUES)):
            front.append(arg)
        elif arg in GLOBAL_VALUES and i + 1 < len(args):
            front.extend(args[i : i + 2])
            i += 1
        elif not seen_command and (
            arg in COMMAND_FLAGS or arg.startswith(tuple(f"{v}=" for v in COMMAND_VALUES))
        ):
            late.append(arg)
        elif not seen_command and arg in COMMAND_VALUES and i + 1 < len(args):
            late.extend(args[i : i + 2])
            i += 1
        else:
            seen_command = seen_command or not arg.startswith("-")
            rest.append(arg)
        i += 1
    if late and rest and not rest[0].startswith("-"):
        rest[1:1] = late  # right after the command's name
    else:
        rest = late + rest
    return front + rest
