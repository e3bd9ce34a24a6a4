# Packages rtl/ as the Vitis RTL kernel smartnic_top.xo (needs Vivado; not run in CI).
#
#   vivado -mode batch -source deploy/package_xo.tcl -tclargs <out.xo> <part>
#   e.g. -tclargs build/smartnic_top.xo xcu250-figd2104-2L-e
#
# Sources and their order come from rtl/sources.cmake (the register package first), the same
# list Verilator and Yosys use. Bus interfaces are inferred from the port-name prefixes
# (s_axi_control_*, m_axi_*, m_axis_tx_*, s_axis_rx_*) and tied to ap_clk / ap_rst_n.

set deploy_dir [file normalize [file dirname [info script]]]
set root_dir   [file dirname $deploy_dir]
set xo_path    [file normalize [expr {[llength $argv] > 0 ? [lindex $argv 0] : "$deploy_dir/build/smartnic_top.xo"}]]
set part       [expr {[llength $argv] > 1 ? [lindex $argv 1] : "xcu250-figd2104-2L-e"}]
set work_dir   [file dirname $xo_path]/pkg
set ip_dir     $work_dir/ip

# --- the RTL, in rtl/sources.cmake order
set sources {}
set fh [open $root_dir/rtl/sources.cmake r]
foreach line [split [read $fh] "\n"] {
  if {[regexp {\$\{SMARTNIC_RTL_DIR\}/(\S+\.sv)} $line -> name]} {
    lappend sources $root_dir/rtl/$name
  }
}
close $fh
if {[llength $sources] == 0} { error "no sources found in $root_dir/rtl/sources.cmake" }

file delete -force $work_dir
create_project -force smartnic_pkg $work_dir/project -part $part
add_files -norecurse $sources
set_property top smartnic_top [current_fileset]
update_compile_order -fileset sources_1

# --- package as an IP, then edit it into a kernel
ipx::package_project -root_dir $ip_dir -vendor smartnic.dev -library kernel -taxonomy /KernelIP \
  -import_files -set_current false
ipx::unload_core $ip_dir/component.xml
ipx::edit_ip_in_project -upgrade true -name smartnic_edit -directory $work_dir/edit $ip_dir/component.xml
set core [ipx::current_core]
set_property core_revision 1 $core
# Kernel parameters stay at their RTL defaults (NUM_VMS etc. come from the register package).
foreach up [ipx::get_user_parameters -of_objects $core] {
  ipx::remove_user_parameter [get_property NAME $up] $core
}

# Clock and active-low reset.
ipx::infer_bus_interface ap_clk   xilinx.com:signal:clock_rtl:1.0 $core
ipx::infer_bus_interface ap_rst_n xilinx.com:signal:reset_rtl:1.0 $core
set_property value ACTIVE_LOW [ipx::add_bus_parameter POLARITY [ipx::get_bus_interfaces ap_rst_n -of_objects $core]]
foreach busif {s_axi_control m_axi m_axis_tx s_axis_rx} {
  if {[llength [ipx::get_bus_interfaces $busif -of_objects $core]] == 0} {
    error "bus interface $busif was not inferred from the port names"
  }
  ipx::associate_bus_interfaces -busif $busif -clock ap_clk $core
}
ipx::associate_bus_interfaces -clock ap_clk -reset ap_rst_n $core

# Register map of s_axi_control: v++ needs the argument registers (same offsets as kernel.xml).
set mem_map [ipx::add_memory_map -quiet s_axi_control $core]
set block [ipx::add_address_block -quiet reg0 $mem_map]
set_property range 0x10000 $block
set_property slave_memory_map_ref s_axi_control [ipx::get_bus_interfaces s_axi_control -of_objects $core]
foreach {name offset bits} {id 0x000 32  version 0x004 32  ctrl 0x010 32  status 0x014 32  scratch 0x018 32  m_axi 0xFF8 64} {
  set reg [ipx::add_register $name $block]
  set_property address_offset $offset $reg
  set_property size $bits $reg
}
# The m_axi argument register names the bus interface it belongs to.
set_property value m_axi [ipx::add_register_parameter ASSOCIATED_BUSIF [ipx::get_registers m_axi -of_objects $block]]

set_property sdx_kernel true $core
set_property sdx_kernel_type rtl $core
set_property ipi_drc {ignore_freq_hz true} $core
set_property vitis_drc {ctrl_protocol user_managed} $core
ipx::create_xgui_files $core
ipx::update_checksums $core
ipx::check_integrity -kernel -xrt $core
ipx::save_core $core
close_project -delete

# --- the .xo
file mkdir [file dirname $xo_path]
package_xo -force -xo_path $xo_path -kernel_name smartnic_top -ctrl_protocol user_managed \
  -ip_directory $ip_dir -kernel_xml $deploy_dir/kernel.xml
puts "wrote $xo_path"
