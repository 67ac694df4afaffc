"""A freedesktop notification server for tests, on a private D-Bus session bus.

It owns ``org.freedesktop.Notifications`` and answers Notify (recording each call, with
the D-Bus signature it arrived with, as one JSON line in LOG), GetCapabilities,
GetServerInformation and CloseNotification, as the spec says. A test makes it emit
``ActionInvoked(id, key)`` by calling ``Invoke(u id, s key)`` on the interface
``org.planner.TestControl`` — what a click on the notification does in a real server.

    python -m tests.helpers.notification_server ADDRESS LOG

prints ``ready`` once the name is owned.
"""

from __future__ import annotations

import json
import sys

from jeepney import DBusAddress, MessageType, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

PATH = "/org/freedesktop/Notifications"
IFACE = "org.freedesktop.Notifications"
CONTROL = "org.planner.TestControl"
NOTIFY_SIGNATURE = "susssasa{sv}i"


def serve(address: str, log_path: str) -> None:
    conn = open_dbus_connection(bus=address)
    reply = conn.send_and_get_reply(message_bus.RequestName(IFACE))
    if reply.body[0] != 1:
        raise SystemExit(f"could not own {IFACE}: {reply.body}")
    emitter = DBusAddress(PATH, interface=IFACE)
    next_id = 1
    print("ready", flush=True)
    while True:
        msg = conn.receive()
        if msg.header.message_type != MessageType.method_call:
            continue
        fields = msg.header.fields
        member = fields.get(3)  # HeaderFields.member
        signature = fields.get(8, "")  # HeaderFields.signature
        if member == "Notify":
            if signature != NOTIFY_SIGNATURE:  # what a real server refuses too
                conn.send(new_error(msg, "org.freedesktop.DBus.Error.InvalidArgs",
                                    "s", (f"signature {signature!r}",)))
                continue
            app, replaces, icon, summary, body, actions, hints, timeout = msg.body
            nid = replaces or next_id
            next_id += 0 if replaces else 1
            with open(log_path, "a", encoding="utf-8") as log:
                log.write(json.dumps({
                    "id": nid, "app_name": app, "replaces_id": replaces, "app_icon": icon,
                    "summary": summary, "body": body, "actions": list(actions),
                    "hints": sorted(hints), "expire_timeout": timeout,
                    "signature": signature}) + "\n")
            conn.send(new_method_return(msg, "u", (nid,)))
        elif member == "GetCapabilities":
            conn.send(new_method_return(msg, "as", (["actions", "body"],)))
        elif member == "GetServerInformation":
            conn.send(new_method_return(msg, "ssss", ("planner-test", "planner", "1.0", "1.2")))
        elif member == "CloseNotification":
            conn.send(new_method_return(msg))
            conn.send(new_signal(emitter, "NotificationClosed", "uu", (msg.body[0], 3)))
        elif member == "Invoke" and fields.get(2) == CONTROL:  # interface
            nid, key = msg.body
            conn.send(new_signal(emitter, "ActionInvoked", "us", (nid, key)))
            conn.send(new_signal(emitter, "NotificationClosed", "uu", (nid, 2)))
            conn.send(new_method_return(msg))
        else:
            conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s",
                                (f"no method {member}",)))


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])
