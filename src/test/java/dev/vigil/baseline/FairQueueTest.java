package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FairQueueTest {

    @Test
    void takesRoundRobinAcrossTenantsAndInOrderWithinOne() throws Exception {
        FairQueue<String> queue = new FairQueue<>();
        queue.put("a", "a1");
        queue.put("a", "a2");
        queue.put("a", "a3");
        queue.put("b", "b1");
        queue.put("c", "c1");
        queue.put("c", "c2");
        List<String> taken = new ArrayList<>();
        while (queue.size() > 0) {
            taken.add(queue.take());
        }
        assertThat(taken).containsExactly("a1", "b1", "c1", "a2", "c2", "a3");
    }

    @Test
    void aTenantThatDrainedJoinsAtTheBack() throws Exception {
        FairQueue<String> queue = new FairQueue<>();
        queue.put("a", "a1");
        queue.put("b", "b1");
        assertThat(queue.take()).isEqualTo("a1");
        queue.put("a", "a2");
        assertThat(queue.take()).isEqualTo("b1");
        assertThat(queue.take()).isEqualTo("a2");
        assertThat(queue.size()).isZero();
    }
}
