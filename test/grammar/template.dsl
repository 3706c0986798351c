// SYNTAX TEST "source.dmar" "iasl -T DMAR template: [0004] byte-length prefixes"
/*
 * Intel ACPI Component Architecture
 * iASL Compiler/Disassembler version 20200925 (64-bit version)
 * Copyright (c) 2000 - 2020 Intel Corporation
 * 
 * Template for [DMAR] ACPI Table (static data table)
 * Format: [ByteLength]  FieldName : HexFieldValue
//         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.block.dmar
 */
[0004]                          Signature : "DMAR"    [DMA Remapping table]
// <------ source.dmar meta.field.dmar comment.other.offset.dmar
// <- punctuation.definition.offset.begin.dmar
// <~---- comment.other.offset.dmar meta.offset.length.dmar
//   ^ punctuation.definition.offset.end.dmar
//                              ^^^^^^^^^ variable.other.field.dmar
//                                        ^ punctuation.separator.key-value.dmar
//                                          ^^^^^^ string.quoted.double.dmar
//                                                    ^^^^^^^^^^^^^^^^^^^^^ entity.name.type.decoded.dmar
[0004]                       Table Length : 0000008C
//                           ^^^^^^^^^^^^ variable.other.field.dmar
//                                          ^^^^^^^^ constant.numeric.hex.dmar
[0001]                           Revision : 01
[0006]                             Oem ID : "INTEL "
[0008]                       Oem Table ID : "TEMPLATE"
//                                          ^^^^^^^^^^ string.quoted.double.dmar
[0004]              Asl Compiler Revision : 20130517
//                                          ^^^^^^^^ constant.numeric.hex.dmar

[0001]                 Host Address Width : 2F
//                     ^^^^^^^^^^^^^^^^^^ variable.other.field.dmar
//                     ^^^^^^^^^^^^^^^^^^ - variable.other.field.address.dmar
//                                          ^^ constant.numeric.hex.dmar
[0010]                           Reserved : 00 00 00 00 00 00 00 00 00 00
// <------ comment.other.offset.dmar

[0002]                      Subtable Type : 0000 [Hardware Unit Definition]
// <------ meta.field.structure.dmar comment.other.offset.dmar
//                          ^^^^^^^^^^^^^ meta.field.structure.dmar keyword.other.structure.dmar
//                                               ^^^^^^^^^^^^^^^^^^^^^^^^^^ entity.name.type.decoded.dmar
[0002]                             Length : 0018
[0008]              Register Base Address : 0000000000000000
//                  ^^^^^^^^^^^^^^^^^^^^^ variable.other.field.dmar

[0001]                  Device Scope Type : 03 [IOAPIC Device]
//                      ^^^^^^^^^^^^^^^^^ keyword.other.structure.dmar
[0001]                     PCI Bus Number : 00

[0002]                           PCI Path : 00,01
//                                          ^^^^^ constant.other.pci-path.dmar


[0002]                      Subtable Type : 0001 [Reserved Memory Region]
[0008]                       Base Address : 0000000000000000
// <------ meta.field.address.dmar comment.other.offset.dmar
//                           ^^^^^^^^^^^^ variable.other.field.address.dmar
//                                          ^^^^^^^^^^^^^^^^ constant.numeric.hex.address.dmar
[0008]                End Address (limit) : 0000000000000FFF
//                    ^^^^^^^^^^^^^^^^^^^ variable.other.field.address.dmar
//                                          ^^^^^^^^^^^^^^^^ constant.numeric.hex.address.dmar

[0002]                      Subtable Type : 0003 [Remapping Hardware Static Affinity]
[0004]                   Proximity Domain : 00000000
//                       ^^^^^^^^^^^^^^^^ variable.other.field.dmar
