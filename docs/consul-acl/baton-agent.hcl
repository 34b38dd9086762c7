# ACL policy of a baton agent (Consul 1.8+ syntax; docs/consul.md).
# Registers and deregisters the app instances it runs (apps may have any name) and itself (baton-agent),
# through the Consul agent of its own host; lists that agent's services to restore lost registrations.
service_prefix "" {
  policy = "write"
}
# Exact rules win over prefix rules: an agent may not register as a gateway, a registry or Consul itself.
service "baton-gateway" {
  policy = "read"
}
service "baton-registry" {
  policy = "read"
}
service "consul" {
  policy = "read"
}
# Health reads: which gateways are passing, whose drain acks a stop waits for.
node_prefix "" {
  policy = "read"
}
