"""The Python side of tests/python_interop.rs: an independent implementation
of fd and credential passing (Python's socket module over libc), talking to
zerosock over a Unix datagram socketpair inherited as fd 3.

Each step answers on the socket; any failure raises, which the Rust side
sees as a non-zero exit status and the traceback on stderr.
"""

import array
import os
import socket
import struct
import sys

UCRED = struct.Struct("iII")  # struct ucred: pid_t pid; uid_t uid; gid_t gid


def recv_creds(sock):
    """One datagram and the SCM_CREDENTIALS it carries."""
    data, ancdata, flags, _ = sock.recvmsg(64, socket.CMSG_SPACE(UCRED.size))
    assert not flags & socket.MSG_CTRUNC, flags
    creds = [UCRED.unpack(d) for lvl, typ, d in ancdata
             if (lvl, typ) == (socket.SOL_SOCKET, socket.SCM_CREDENTIALS)]
    assert len(creds) == 1, ancdata
    return data, creds[0]


def main():
    sock = socket.socket(fileno=3)
    sock.settimeout(20)
    sock.send(b"ready")

    # 1. zerosock -> Python: two fds (write ends of zerosock's pipes).
    msg, fds, flags, _ = socket.recv_fds(sock, 64, 4)
    assert msg == b"fds from zerosock", msg
    assert len(fds) == 2, fds
    assert not flags & socket.MSG_CTRUNC, flags
    for i, fd in enumerate(fds):
        os.write(fd, b"python wrote into fd %d" % i)
        os.close(fd)
    # Credentials from here on. (Not before: recv_fds sizes its control
    # buffer for the fds alone, and credentials arriving first would crowd
    # them out with MSG_CTRUNC.)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    sock.send(b"wrote")

    # 2. Python -> zerosock: the read end of a pipe holding a message, plus
    #    a second fd (the write end, closed here after sending).
    r, w = os.pipe()
    os.write(w, b"from python through a pipe")
    socket.send_fds(sock, [b"fds from python"], [r, w])
    os.close(r)
    os.close(w)

    # 3. zerosock -> Python: credentials; report what arrived.
    data, (pid, uid, gid) = recv_creds(sock)
    assert data == b"creds from zerosock", data
    sock.send(b"creds %d %d %d" % (pid, uid, gid))
    if len(sys.argv) > 1 and sys.argv[1] == "forged":
        data, (pid, uid, gid) = recv_creds(sock)
        assert data == b"forged creds from zerosock", data
        sock.send(b"creds %d %d %d" % (pid, uid, gid))

    # 4. Python -> zerosock: explicit credentials.
    creds = UCRED.pack(os.getpid(), os.getuid(), os.getgid())
    sock.sendmsg([b"creds from python"], [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, creds)])

    # Done: zerosock confirms it checked everything.
    assert sock.recv(64) == b"bye"


if __name__ == "__main__":
    main()
