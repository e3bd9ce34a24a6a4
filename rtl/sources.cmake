# Every RTL source of the NIC, the generated register package first. Used by the Verilator
# model (sim/), the lint and synthesis tests (tests/rtl/) and kept in this one list.
set(SMARTNIC_RTL_SOURCES
  ${SMARTNIC_RTL_DIR}/smartnic_regs_pkg.sv
  ${SMARTNIC_RTL_DIR}/sync_fifo.sv
  ${SMARTNIC_RTL_DIR}/axil_addr_decode.sv
  ${SMARTNIC_RTL_DIR}/axil_regs.sv
  ${SMARTNIC_RTL_DIR}/vm_ip_table.sv
  ${SMARTNIC_RTL_DIR}/axi_rd_mux.sv
  ${SMARTNIC_RTL_DIR}/axi_wr_arb.sv
  ${SMARTNIC_RTL_DIR}/lookup_arb.sv
  ${SMARTNIC_RTL_DIR}/tx_desc_fetch.sv
  ${SMARTNIC_RTL_DIR}/tx_data_fetch.sv
  ${SMARTNIC_RTL_DIR}/ipv4_hdr_check.sv
  ${SMARTNIC_RTL_DIR}/tx_verdict.sv
  ${SMARTNIC_RTL_DIR}/eth_framer.sv
  ${SMARTNIC_RTL_DIR}/cpl_ring_writer.sv
  ${SMARTNIC_RTL_DIR}/tx_stats.sv
  ${SMARTNIC_RTL_DIR}/rx_parse.sv
  ${SMARTNIC_RTL_DIR}/rx_desc_cache.sv
  ${SMARTNIC_RTL_DIR}/rx_dma.sv
  ${SMARTNIC_RTL_DIR}/rx_stats.sv
  ${SMARTNIC_RTL_DIR}/drop_counters.sv
  ${SMARTNIC_RTL_DIR}/arp_responder.sv
  ${SMARTNIC_RTL_DIR}/tx_port_mux.sv
  ${SMARTNIC_RTL_DIR}/smartnic_top.sv
)
