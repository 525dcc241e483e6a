"""The ceiling: the smallest WSGI app, served by the same gunicorn settings as the service."""


def app(environ, start_response):
    body = b'{"status":"ok"}'
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "15")])
    return [body]
