package io.redisbridge.testing;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.HostAndPort;

/** One line of {@code CLUSTER NODES}: a node's address, role, health and the slot ranges it serves. */
record ClusterNode(HostAndPort address, boolean primary, boolean failed, List<int[]> slots) {

  static List<ClusterNode> parse(String clusterNodes) {
    List<ClusterNode> parsed = new ArrayList<>();
    for (String line : clusterNodes.split("\n")) {
      String[] fields = line.trim().split(" ");
      if (fields.length < 8) {
        continue;
      }
      // ip:port@cport[,hostname]
      String address = fields[1].split("@")[0];
      int colon = address.lastIndexOf(':');
      String flags = fields[2];
      List<int[]> slots = new ArrayList<>();
      for (int i = 8; i < fields.length; i++) {
        if (fields[i].startsWith("[")) {
          continue; // a slot being migrated or imported
        }
        String[] range = fields[i].split("-");
        int from = Integer.parseInt(range[0]);
        slots.add(new int[] {from, range.length > 1 ? Integer.parseInt(range[1]) : from});
      }
      parsed.add(new ClusterNode(
          new HostAndPort(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
          flags.contains("master"), flags.contains("fail") || fields[7].equals("disconnected"), slots));
    }
    return parsed;
  }

  boolean serves(int slot) {
    return slots.stream().anyMatch(range -> slot >= range[0] && slot <= range[1]);
  }
}
