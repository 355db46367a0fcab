package org.stdpsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

/** ClusterIT's loopback check decodes /proc/net/tcp{,6} addresses right (values from proc(5)). */
class StandaloneClusterTest {
    @Test
    void decodesProcNetAddresses() throws Exception {
        assertEquals(InetAddress.getByName("127.0.0.1"), StandaloneCluster.procAddress("0100007F"));
        assertEquals(InetAddress.getByName("192.168.2.2"), StandaloneCluster.procAddress("0202A8C0"));
        assertFalse(StandaloneCluster.procAddress("00000000").isLoopbackAddress(), "0.0.0.0 is every interface");
        assertTrue(StandaloneCluster.procAddress("00000000000000000000000001000000").isLoopbackAddress(), "::1");
        assertFalse(StandaloneCluster.procAddress("00000000000000000000000000000000").isLoopbackAddress(), "::");
        assertTrue(StandaloneCluster.procAddress("0000000000000000FFFF00000100007F").isLoopbackAddress(),
            "::ffff:127.0.0.1");
    }
}
