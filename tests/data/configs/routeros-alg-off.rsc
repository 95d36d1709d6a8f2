# dec/07/2026 04:12:02 by RouterOS 6.49.10
# software id = 7QX2-1ZJ4
# alglab fixture: the SIP helper disabled as the RouterOS CLI reference (ip/firewall/
# service-port) and the vendor dossier 7(c) give it: /ip firewall service-port set sip
# disabled=yes, which /export then lists.
/interface bridge
add name=bridge
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
/ip firewall service-port
set sip disabled=yes
/system identity
set name=office-gw
