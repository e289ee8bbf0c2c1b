"""The worker's part: send one webhook delivery (exceed.webhooks.services.delivery_attempt)."""

from django_tasks import task


@task()
def delivery_send(delivery_id: int) -> str:
    from exceed.webhooks.services import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id)
