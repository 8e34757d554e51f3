"""Store platforms (Salla, Zid, Shopify, custom): signature checks and payload mapping.

An adapter room beside mongo/: api/ wires it in; nothing below api/ imports it."""
