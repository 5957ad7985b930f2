"""Areas of the send-only data flow, shared by jfr-top.py and jfr-wall.py so that CPU and wait profiles use one
vocabulary. First match wins, tested against every frame of a stack (inclusive)."""

AREAS = [
    ("DKIM signing (RSA)", ("sun.security.rsa.", "java.math.", "sun.security.util.math")),
    ("DKIM canonicalize/hash", ("io.sendonly.dkim.", "sun.security.provider.SHA")),
    ("queue: ActiveMQ/KahaDB, James JMS queue", ("org.apache.activemq.", "org.apache.james.queue.", "io.sendonly.server.queue.")),
    ("SMTP out (RouteDelivery)", ("io.sendonly.deliver.",)),
    ("SMTP in (James/Netty)", ("org.apache.james.protocols.", "org.apache.james.smtpserver.", "io.netty.")),
    ("mailet pipeline (James)", ("org.apache.james.mailetcontainer.", "org.apache.mailet.", "io.sendonly.qualify.", "io.sendonly.sign.")),
    ("MIME parsing/copies", ("javax.mail.", "com.sun.mail.", "org.apache.james.server.core.MimeMessage", "org.apache.james.mime4j.")),
    ("logging", ("ch.qos.logback.", "org.slf4j.")),
    ("GC/JIT/VM (no Java frame)", ()),
]


def frame_names(event):
    """The stack of a `jfr print --json` event as class.method names, top frame first."""
    trace = event["values"].get("stackTrace")
    frames = trace["frames"] if trace else []
    return [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in frames]


def area_of(names):
    for area, prefixes in AREAS:
        if not prefixes:
            if not names:
                return area
            continue
        if any(name.startswith(prefixes) for name in names):
            return area
    return "other"


def innermost_area(names):
    """The area of the frame nearest the top of the stack that belongs to one: which part was executing."""
    for name in names:
        for area, prefixes in AREAS:
            if prefixes and name.startswith(prefixes):
                return area
    return area_of(names)
