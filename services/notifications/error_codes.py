"""The problem codes notifications' rules name, beyond the shared ones (`shared.error_codes`)."""

CODES = {
    "webhook.url_refused": "The endpoint URL is not one deliveries may go to (see `errors`).",
    "webhook.event_type_unknown": "An event type not offered to webhooks.",
    "webhook.endpoint_disabled": "Enable the endpoint before replaying or recovering messages.",
}
