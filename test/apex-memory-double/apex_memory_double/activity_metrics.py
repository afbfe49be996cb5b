"""Activity metrics for every activity the double runs (real or mock), recorded around each attempt."""

from __future__ import annotations

import threading
import time
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from . import metrics


class ActivitySlots:
    """Busy and free activity task slots of this worker."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._used = 0
        self._lock = threading.Lock()
        self._publish()

    def _publish(self) -> None:
        metrics.worker_task_slots_used.labels("activity").set(self._used)
        metrics.worker_task_slots_available.labels("activity").set(self._capacity - self._used)

    def take(self) -> None:
        with self._lock:
            self._used += 1
            self._publish()

    def give_back(self) -> None:
        with self._lock:
            self._used -= 1
            self._publish()


class ActivityMetricsInterceptor(Interceptor):
    def __init__(self, slots: ActivitySlots) -> None:
        self._slots = slots

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _MeasuredActivity(next, self._slots)


class _MeasuredActivity(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, slots: ActivitySlots) -> None:
        super().__init__(next)
        self._slots = slots

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        info = activity.info()
        name = info.activity_type
        metrics.worker_poll_success.labels("activity").inc()
        metrics.activity_started.labels(name).inc()
        if info.attempt > 1:
            metrics.activity_retry_count.labels(name).inc()
        self._slots.take()
        started = time.perf_counter()
        try:
            result = await super().execute_activity(input)
        except BaseException as error:
            error_type = error.type if isinstance(error, ApplicationError) and error.type else type(error).__name__
            metrics.activity_completed.labels(name, "failed").inc()
            metrics.activity_failure_reasons.labels(name, error_type).inc()
            raise
        finally:
            metrics.activity_duration.labels(name).observe(time.perf_counter() - started)
            self._slots.give_back()
        metrics.activity_completed.labels(name, "success").inc()
        return result
