# ACL policy of the baton registry (Consul 1.8+ syntax; docs/consul.md).
# State: apps, routes, releases and artifact metadata under baton/ in KV.
key_prefix "baton/" {
  policy = "write"
}
# The leader lock: a session (on the registry host's Consul node) holding baton/leader.
session_prefix "" {
  policy = "write"
}
# Its own registration and health check.
service "baton-registry" {
  policy = "write"
}
# Health of app instances, agents and gateways (apps may have any name).
service_prefix "" {
  policy = "read"
}
node_prefix "" {
  policy = "read"
}
