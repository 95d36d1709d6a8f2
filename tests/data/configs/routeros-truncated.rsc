# dec/07/2026 04:14:10 by RouterOS 7.12.1
# alglab fixture: an export cut inside a continued line.
/ip firewall nat
add action=masquerade chain=srcnat \
