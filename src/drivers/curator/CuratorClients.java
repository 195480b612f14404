// zkbench's Curator driver: every CuratorFramework the driver opens, made one way. The run's identity comes
// from the environment the coordinator hands down (ZKBENCH_AUTH, ZKBENCH_NODE_ACL, as to its own load
// processes), never from the plan on stdin: a digest credential is sent on every connection
// (builder.authorization), and with the creator ACL every node the library creates carries it.
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;

final class CuratorClients {
    private CuratorClients() {}

    /** "USER:PASSWORD" of a digest credential, or null when the run has none. */
    private static final String DIGEST = digest(System.getenv("ZKBENCH_AUTH"));
    private static final boolean CREATOR_ACL = "creator".equals(System.getenv("ZKBENCH_NODE_ACL"));

    private static String digest(String line) {
        if (line == null || line.isBlank()) return null;
        if (!line.startsWith("digest:")) {
            throw new IllegalArgumentException("the Curator driver takes digest credentials only (ZKBENCH_AUTH is " + line.substring(0, Math.max(0, line.indexOf(':'))) + ")");
        }
        return line.substring("digest:".length()).strip();
    }

    /** A client as applications configure one: exponential back-off retries (1 s base, 3 tries), the run's identity. */
    static CuratorFramework newClient(String connect, int sessionMs, int connectMs) {
        CuratorFrameworkFactory.Builder b = CuratorFrameworkFactory.builder()
            .connectString(connect)
            .sessionTimeoutMs(sessionMs)
            .connectionTimeoutMs(connectMs)
            .retryPolicy(new ExponentialBackoffRetry(1000, 3));
        if (DIGEST != null) b.authorization("digest", DIGEST.getBytes(StandardCharsets.UTF_8));
        if (CREATOR_ACL) {
            b.aclProvider(new ACLProvider() {
                @Override
                public List<ACL> getDefaultAcl() {
                    return ZooDefs.Ids.CREATOR_ALL_ACL;
                }

                @Override
                public List<ACL> getAclForPath(String path) {
                    return ZooDefs.Ids.CREATOR_ALL_ACL;
                }
            });
        }
        return b.build();
    }
}
