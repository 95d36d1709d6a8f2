# dec/07/2026 04:10:31 by RouterOS 7.12.1
# software id = 7QX2-1ZJ4
#
# model = RB4011iGS+
# alglab fixture: a plain `/export` (defaults left out, RouterOS manual, Configuration
# Management: export). No /ip firewall service-port section: the sip helper is at its
# default, enabled on ports 5060,5061 (CLI reference ip/firewall/service-port).
/interface bridge
add admin-mac=48:8F:5A:00:11:22 auto-mac=no comment=defconf name=bridge
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/ip pool
add name=default-dhcp ranges=192.168.88.10-192.168.88.254
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=192.168.88.0
/ip dhcp-client
add comment=defconf interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" \
    ipsec-policy=out,none out-interface-list=WAN
/system identity
set name=office-gw
