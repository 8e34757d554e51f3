"""mockupdb's serving loop and OP_MSG replies without its log formatting.

mockupdb builds its log lines whether or not it logs: every request and every reply is
formatted with `%r`, which renders all their documents as JSON (a bulk insert of 1,000 rows,
a find's batch of 1,000 members), and asks the socket for its peer's port. For bulk work that
cost more than the engine itself. The loop here is mockupdb's, less those lines, and a reply is
encoded once and sent.
"""

from __future__ import annotations

import errno
import itertools
import socket
import struct
import traceback
from typing import Any

import bson
import mockupdb
from mockupdb import OP_MSG, MockupDB, mock_server_receive_request

_REPLY_IDS = itertools.count(1)
_HUNG_UP = (errno.ECONNRESET, errno.EBADF, errno.ENOTSOCK)


class QuietMockupDB(MockupDB):  # type: ignore[misc]
    def _server_loop(self, client: socket.socket, client_addr: Any) -> None:
        """Reads requests from one client socket and answers them (mockupdb's own loop)."""
        with self._lock:
            while not self._stopped and not mockupdb._shutting_down:
                try:
                    with self._unlock():
                        request = mock_server_receive_request(client, self)
                    self._requests_count += 1
                    for responder in reversed(self._autoresponders):
                        if responder.handle(request):
                            break
                    else:
                        self._request_q.put(request)
                except OSError as error:
                    if error.errno in _HUNG_UP:
                        break
                    raise
                except AssertionError:
                    traceback.print_exc()
                    break
        client.close()


def reply_op_msg(request: Any, reply: dict[str, Any]) -> None:
    """Sends `reply` to an OP_MSG request: flags 0, one body section."""
    data = struct.pack("<Ib", 0, 0) + bson.encode(reply)
    header = struct.pack("<iiii", 16 + len(data), next(_REPLY_IDS), request.request_id, OP_MSG)
    request._client.sendall(header + data)
