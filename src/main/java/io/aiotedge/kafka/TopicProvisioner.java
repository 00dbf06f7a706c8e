package io.aiotedge.kafka;

import io.aiotedge.clients.KafkaClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics that are missing; existing ones are left as they are. Idempotent. */
final class TopicProvisioner {
    private TopicProvisioner() {
    }

    /** @return the topics it created */
    static List<String> ensure(String bootstrap, Map<String, String> client, List<String> topics, int partitions,
            short replication, long timeoutMs) throws InterruptedException, ExecutionException,
            TimeoutException {
        Properties p = new KafkaClients(client, () -> bootstrap).admin("aiot-edge-provisioner",
                Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf((int) timeoutMs)));
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : topics) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, partitions, replication));
                }
            }
            List<String> created = new ArrayList<>();
            for (var e : admin.createTopics(missing).values().entrySet()) {
                try {
                    e.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                    created.add(e.getKey());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex; // another node created it meanwhile: fine; anything else is not
                    }
                }
            }
            return created;
        }
    }
}
