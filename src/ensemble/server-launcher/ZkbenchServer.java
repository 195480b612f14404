// zkbench's launcher for the ZooKeeper servers it starts: runs the server's own main class (the first
// argument, so `ps` still shows QuorumPeerMain) and, unless -Dzkbench.commitWakeupGuardMs=0, the
// CommitWakeupGuard beside it. Compiled by src/ensemble/server-launcher.ts; no dependency beyond the
// ZooKeeper and slf4j jars the server runs with.
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

public final class ZkbenchServer {
    private ZkbenchServer() {}

    public static void main(String[] args) throws Throwable {
        if (args.length < 1) throw new IllegalArgumentException("usage: ZkbenchServer <server main class> [args...]");
        long periodMs = Long.getLong("zkbench.commitWakeupGuardMs", 0L);
        if (periodMs > 0) CommitWakeupGuard.start(periodMs);
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
