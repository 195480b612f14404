// Guards a ZooKeeper 3.6.0-3.8.0 / 3.7.0-3.7.1 server against ZOOKEEPER-4537 (fixed in 3.7.2 / 3.8.1).
//
// CommitProcessor.run() reads its two queues outside its monitor and then, inside it, wait()s on what
// it read. A commit (or a request) added and notified in between is a lost wake-up: the processor
// sleeps with work queued until the next request or commit reaches that server. On a follower whose
// only client is waiting for that answer the request hangs until some other session's ping arrives
// (5 s at a 15 s session timeout) or the client gives up (10 s, ZOPERATIONTIMEOUT). Debian 12 ships
// 3.8.0; zkbench found this as multi-second stalls on fresh ensembles (interpreted code widens the race).
//
// Every periodMs this thread looks at each CommitProcessor: WAITING, with work in a queue, and still so
// one period later with the same request at the head, and parked in run()'s own wait (not in
// waitForEmptyPool, which waits on purpose) means its notification was lost. It then does what the
// lost notifyAll() would have done and logs a WARN line, so a run counts how often the server needed it.
// On a server without the bug the condition never holds and the guard never acts.
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.apache.zookeeper.server.quorum.CommitProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class CommitWakeupGuard implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("zkbench.CommitWakeupGuard");
    private static final long RESCAN_NS = 200_000_000L; // new CommitProcessors appear after every election

    private final long periodMs;
    private final Field queuedRequests;
    private final Field committedRequests;
    private final Map<CommitProcessor, Suspect> suspects = new IdentityHashMap<>();
    private List<CommitProcessor> processors = new ArrayList<>();
    private long lastScanNs;
    private long woken;

    private static final class Suspect {
        final Object head;
        final long sinceNs;

        Suspect(Object head, long sinceNs) {
            this.head = head;
            this.sinceNs = sinceNs;
        }
    }

    private CommitWakeupGuard(long periodMs) throws NoSuchFieldException {
        this.periodMs = periodMs;
        this.queuedRequests = CommitProcessor.class.getDeclaredField("queuedRequests");
        this.committedRequests = CommitProcessor.class.getDeclaredField("committedRequests");
        queuedRequests.setAccessible(true);
        committedRequests.setAccessible(true);
    }

    static void start(long periodMs) {
        try {
            Thread t = new Thread(new CommitWakeupGuard(periodMs), "zkbench-commit-wakeup-guard");
            t.setDaemon(true);
            t.start();
            LOG.info("zkbench guard: watching CommitProcessor for lost wake-ups (ZOOKEEPER-4537) every {} ms", periodMs);
        } catch (NoSuchFieldException e) {
            LOG.warn("zkbench guard: off, this ZooKeeper's CommitProcessor has no {} field", e.getMessage());
        }
    }

    @Override
    public void run() {
        while (true) {
            try {
                Thread.sleep(periodMs);
                long now = System.nanoTime();
                if (now - lastScanNs > RESCAN_NS) {
                    processors = findProcessors();
                    suspects.keySet().retainAll(processors);
                    lastScanNs = now;
                }
                for (CommitProcessor cp : processors) check(cp, now);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warn("zkbench guard: stopped by {}", e.toString());
                return;
            }
        }
    }

    private void check(CommitProcessor cp, long now) throws IllegalAccessException {
        Object head = cp.getState() == Thread.State.WAITING ? headOfWork(cp) : null;
        if (head == null) {
            suspects.remove(cp);
            return;
        }
        Suspect seen = suspects.get(cp);
        if (seen == null || seen.head != head) {
            // The producer may be between its add() and its notifyAll(): look again next period.
            suspects.put(cp, new Suspect(head, now));
            return;
        }
        suspects.remove(cp);
        int committed = queue(cp, committedRequests).size();
        int queued = queue(cp, queuedRequests).size();
        if (!waitingInRun(cp)) return;
        synchronized (cp) {
            cp.notifyAll();
        }
        woken++;
        // Either a lost wake-up, or a producer descheduled for a period between its add() and its
        // notifyAll() (a busy host): the count is an upper bound of lost wake-ups; waking early is harmless.
        LOG.warn(
            "zkbench guard: woke {}, waiting in run() with {} committed and {} queued request(s) for at least {} ms (ZOOKEEPER-4537 lost wake-up, or a late notify; {} so far)",
            cp.getName(), committed, queued, (now - seen.sinceNs) / 1_000_000L, woken);
    }

    private Object headOfWork(CommitProcessor cp) throws IllegalAccessException {
        Object committed = queue(cp, committedRequests).peek();
        return committed != null ? committed : queue(cp, queuedRequests).peek();
    }

    private static Queue<?> queue(CommitProcessor cp, Field f) throws IllegalAccessException {
        return (Queue<?>) f.get(cp);
    }

    /** Parked in run()'s own wait(), not in waitForEmptyPool() or elsewhere. */
    private static boolean waitingInRun(CommitProcessor cp) {
        for (StackTraceElement frame : cp.getStackTrace()) {
            if (frame.getClassName().equals(CommitProcessor.class.getName())) return frame.getMethodName().equals("run");
        }
        return false;
    }

    private static List<CommitProcessor> findProcessors() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        Thread[] threads = new Thread[root.activeCount() * 2 + 16];
        int n = root.enumerate(threads, true);
        List<CommitProcessor> found = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (threads[i] instanceof CommitProcessor && threads[i].isAlive()) found.add((CommitProcessor) threads[i]);
        }
        return found;
    }
}
