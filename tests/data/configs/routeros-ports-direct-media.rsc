# dec/07/2026 04:13:44 by RouterOS 7.12.1
# alglab fixture: the helper kept on but changed, as the vendor dossier 7(c) suggests when it
# must stay (sip-direct-media=no, a shorter sip-timeout) and with TLS's 5061 taken out of its
# ports; written with a continuation line as /export wraps long commands.
/ip firewall connection tracking
set udp-timeout=30s
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
/ip firewall service-port
set sip ports=5060 \
    sip-direct-media=no sip-timeout=5m
