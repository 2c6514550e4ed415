"""keytrace users add|list|disable|enable: accounts for the app (the command line acts as admin)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from app import auth
from app.cli import add_json_flag, emit
from core.errors import UsageError
from core.workspace import Workspace


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("users", help="create and list app accounts",
                       description="App accounts. Victims register themselves in the app; staff accounts "
                                   "(investigator, legal, admin) are created here or by an admin in the app.")
    usub = p.add_subparsers(dest="users_command", metavar="ACTION")
    usub.required = True
    a = usub.add_parser("add", help="create an account",
                        description="Create an account. The password is read from $KEYTRACE_NEW_PASSWORD, "
                                    "else from --password-stdin, else asked for on the terminal.",
                        epilog="Example: keytrace --db case.duckdb users add alice --role investigator")
    a.add_argument("username")
    a.add_argument("--role", required=True, choices=auth.ROLES)
    a.add_argument("--email", help="e-mail address (stored encrypted)")
    a.add_argument("--name", help="full name (stored encrypted)")
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add_json_flag(a)
    a.set_defaults(func=run_add)
    ls = usub.add_parser("list", help="list accounts (no personal data)",
                         description="List accounts: id, user name, role, creation time, disabled.",
                         epilog="Example: keytrace --db case.duckdb users list --json")
    ls.add_argument("--role", choices=auth.ROLES)
    add_json_flag(ls)
    ls.set_defaults(func=run_list)
    pw = usub.add_parser("passwd", help="set a new password for an account",
                         description="Set a new password for an account (e.g. one that forgot it, or whose "
                                     "password leaked): its lock-out is lifted and its sessions end. The "
                                     "password is read like `users add` reads it.",
                         epilog="Example: KEYTRACE_NEW_PASSWORD=... keytrace --db case.duckdb users passwd alice")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add_json_flag(pw)
    pw.set_defaults(func=run_passwd)
    for name, disabled in (("disable", True), ("enable", False)):
        d = usub.add_parser(name, help=f"{name} an account",
                            description=f"{name.capitalize()} an account"
                                        + ("; its sessions end at once." if disabled else "."),
                            epilog=f"Example: keytrace --db case.duckdb users {name} alice")
        d.add_argument("username")
        add_json_flag(d)
        d.set_defaults(func=run_disable, disabled=disabled)


def _password(args: argparse.Namespace) -> str:
    if os.environ.get("KEYTRACE_NEW_PASSWORD"):
        return os.environ["KEYTRACE_NEW_PASSWORD"]
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise UsageError("give the password with $KEYTRACE_NEW_PASSWORD or --password-stdin")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise UsageError("the two passwords differ")
    return first


def run_add(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    user = auth.create_user(ws, None, username=args.username, password=_password(args), role=args.role,
                            email=args.email, name=args.name)
    emit(args, f"Created {user.role} account {user.username} (id {user.id}).",
         {"id": user.id, "username": user.username, "role": user.role})
    return 0


def run_list(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    found = auth.list_users(ws, None, role=args.role)
    text = "\n".join(f"{u['id']:>4}  {u['username']:<24} {u['role']:<12}"
                     f"{'  (disabled)' if u['disabled'] else ''}" for u in found) or "No accounts."
    emit(args, text, [{"id": u["id"], "username": u["username"], "role": u["role"],
                       "created_at": u["created_at"].isoformat(), "disabled": u["disabled"]} for u in found])
    return 0


def run_disable(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    auth.set_disabled(ws, None, args.username, args.disabled)
    word = "disabled" if args.disabled else "enabled"
    emit(args, f"Account {args.username} {word}.", {"username": args.username, "disabled": args.disabled})
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    auth.reset_password(ws, None, args.username, _password(args))
    emit(args, f"New password set for {args.username.strip().lower()}; its sessions have ended.",
         {"username": args.username.strip().lower()})
    return 0
