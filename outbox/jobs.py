from . import services


def deliver_due() -> int:
    return services.deliver_due()
