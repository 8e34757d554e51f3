"""The dev store: the MongoDB wire protocol served over the embedded engine (mongomock).

For development and tests only. It lets PyMongo's real `AsyncMongoClient` path (BSON, cursors,
server error codes, sessions and retryable writes) run where no `mongod` can be installed. It
is not MongoDB: no replication, no transactions, no query planner; what it does not implement
it refuses with the server's error codes instead of pretending. The product never imports this
package; only the `loyalty devstore` command (api/cli.py) does.
"""
