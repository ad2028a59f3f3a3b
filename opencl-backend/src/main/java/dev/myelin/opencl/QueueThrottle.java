package dev.myelin.opencl;

import static org.jocl.CL.clEnqueueMarkerWithWaitList;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseEvent;
import static org.jocl.CL.clWaitForEvents;

import org.jocl.cl_command_queue;
import org.jocl.cl_event;

/**
 * Bounds the work waiting on the backend's queue when the caller never reads back: without it a loop
 * of allocate/fill/axpby/close that reads nothing grows the driver's memory without limit (PoCL keeps
 * every queued command, and every buffer released while commands still use it, until they run).
 *
 * <p>Every {@link #BATCH} commands a marker is enqueued and the marker of the batch before is waited
 * for, so at most two batches are queued and the device never runs dry while the host waits. Buffers
 * released while queued work may still use them count separately: past {@link #RELEASED_BYTES} the
 * queue is drained, so their memory returns. A host read, a blocking write or {@code clFinish} has
 * drained the queue already and starts the counts again. Called under the backend's dispatch lock.
 */
final class QueueThrottle {

    /** Commands per marker: small enough to bound memory, large enough that the wait is rare. */
    static final int BATCH = 256;
    /** Bytes of released buffers whose memory may still be held by queued commands. */
    static final long RELEASED_BYTES = 64L << 20;

    private final cl_command_queue queue;
    private int commands;
    private long releasedBytes;
    private cl_event previous;

    QueueThrottle(cl_command_queue queue) {
        this.queue = queue;
    }

    /** One command was enqueued. */
    void enqueued() {
        if (++commands < BATCH) {
            return;
        }
        commands = 0;
        cl_event marker = new cl_event();
        Cl.check(clEnqueueMarkerWithWaitList(queue, 0, null, marker), "clEnqueueMarkerWithWaitList");
        cl_event wait = previous;
        previous = marker;
        if (wait != null) {
            try {
                Cl.check(clWaitForEvents(1, new cl_event[] {wait}), "clWaitForEvents");
            } finally {
                clReleaseEvent(wait);
            }
        }
    }

    /** A buffer of {@code bytes} was released while queued commands may still use it. */
    void released(long bytes) {
        releasedBytes += bytes;
        if (releasedBytes > RELEASED_BYTES) {
            Cl.check(clFinish(queue), "clFinish");
            drained();
        }
    }

    /** Every command enqueued so far has finished (a blocking read or write, a clFinish). */
    void drained() {
        commands = 0;
        releasedBytes = 0;
        if (previous != null) {
            clReleaseEvent(previous);
            previous = null;
        }
    }
}
