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
        // Byte order: the first byte of the address is the last pair of hex digits.
        assertEquals(InetAddress.getByName("127.0.0.2"), StandaloneCluster.procAddress("0200007F"));
        assertFalse(StandaloneCluster.procAddress("00000000").isLoopbackAddress(), "the IPv4 wildcard (every interface)");
        assertTrue(StandaloneCluster.procAddress("00000000000000000000000001000000").isLoopbackAddress(), "::1");
        assertFalse(StandaloneCluster.procAddress("00000000000000000000000000000000").isLoopbackAddress(), "the IPv6 wildcard");
        assertTrue(StandaloneCluster.procAddress("0000000000000000FFFF00000100007F").isLoopbackAddress(),
            "::ffff:127.0.0.1");
    }
}
