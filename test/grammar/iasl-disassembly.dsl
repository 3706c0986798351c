// SYNTAX TEST "source.dmar" "iasl -d output, [000h 0000   4] offset prefixes, raw data block with // ASCII column"
/*
// <-- comment.block.dmar punctuation.definition.comment.begin.dmar
 * Intel ACPI Component Architecture
// <------------------------------------ comment.block.dmar
 * AML/ASL+ Disassembler version 20200925 (64-bit version)
 *
 * ACPI Data Table [DMAR]
//                 ^^^^^^ comment.block.dmar - comment.other.offset.dmar entity.name.type.decoded.dmar
 *
 * Format: [HexOffset DecimalOffset ByteLength]  FieldName : FieldValue
//                                               ^^^^^^^^^^^^^^^^^^^^^^ comment.block.dmar - variable.other.field.dmar punctuation.separator.key-value.dmar
 */
// <~-- comment.block.dmar punctuation.definition.comment.end.dmar

[000h 0000   4]                    Signature : "DMAR"    [DMA Remapping table]
// <--------------- source.dmar meta.field.dmar comment.other.offset.dmar
// <- comment.other.offset.dmar punctuation.definition.offset.begin.dmar
// <~---- comment.other.offset.dmar meta.offset.hex.dmar
//    ^^^^ comment.other.offset.dmar meta.offset.decimal.dmar
//           ^ comment.other.offset.dmar meta.offset.length.dmar
//            ^ comment.other.offset.dmar punctuation.definition.offset.end.dmar
//                                 ^^^^^^^^^ meta.field.dmar variable.other.field.dmar
//                                           ^ meta.field.dmar punctuation.separator.key-value.dmar
//                                             ^ string.quoted.double.dmar punctuation.definition.string.begin.dmar
//                                              ^^^^ string.quoted.double.dmar
//                                                  ^ string.quoted.double.dmar punctuation.definition.string.end.dmar
//                                                       ^^^^^^^^^^^^^^^^^^^^^ meta.field.dmar entity.name.type.decoded.dmar
//                                                       ^ entity.name.type.decoded.dmar punctuation.definition.decoded.begin.dmar
//                                                                           ^ entity.name.type.decoded.dmar punctuation.definition.decoded.end.dmar
//                                                   ^^^^ - entity.name.type.decoded.dmar string.quoted.double.dmar invalid.illegal.value.dmar
[004h 0004   4]                 Table Length : 000000D8
//                              ^^^^^^^^^^^^ variable.other.field.dmar
//                                             ^^^^^^^^ meta.field.dmar constant.numeric.hex.dmar
[008h 0008   1]                     Revision : 01
//                                             ^^ constant.numeric.hex.dmar
[00Ah 0010   6]                       Oem ID : "INTEL "
//                                             ^^^^^^^^ string.quoted.double.dmar
[020h 0032   4]        Asl Compiler Revision : 01000013
//                     ^^^^^^^^^^^^^^^^^^^^^ variable.other.field.dmar
//                                             ^^^^^^^^ constant.numeric.hex.dmar

[024h 0036   1]           Host Address Width : 26
[025h 0037   1]                        Flags : 05
//                                     ^^^^^ variable.other.field.dmar
[026h 0038  10]                     Reserved : 00 00 00 00 00 00 00 00 00 00
//          ^^ comment.other.offset.dmar meta.offset.length.dmar
//                                                ^^ constant.numeric.hex.dmar
//                                                                        ^^ constant.numeric.hex.dmar
//                                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ - invalid.illegal.value.dmar constant.other.pci-path.dmar

[030h 0048   2]                Subtable Type : 0000 [Hardware Unit Definition]
//                             ^^^^^^^^^^^^^ meta.field.structure.dmar keyword.other.structure.dmar
//                             ^^^^^^^^^^^^^ - variable.other.field.dmar
//                                           ^ meta.field.structure.dmar punctuation.separator.key-value.dmar
//                                             ^^^^ meta.field.structure.dmar constant.numeric.hex.dmar
//                                                   ^^^^^^^^^^^^^^^^^^^^^^^^ meta.field.structure.dmar entity.name.type.decoded.dmar
[032h 0050   2]                       Length : 0018
//                                    ^^^^^^ meta.field.dmar variable.other.field.dmar
// <--------------------------------------------------- - meta.field.structure.dmar

[034h 0052   1]                        Flags : 00
[035h 0053   1]                     Reserved : 04
[036h 0054   2]           PCI Segment Number : 0000
//                        ^^^^^^^^^^^^^^^^^^ variable.other.field.dmar
[038h 0056   8]        Register Base Address : 00000000FC800000
//                     ^^^^^^^^^^^^^^^^^^^^^ meta.field.dmar variable.other.field.dmar
//                     ^^^^^^^^^^^^^^^^^^^^^ - variable.other.field.address.dmar
//                                             ^^^^^^^^^^^^^^^^ constant.numeric.hex.dmar

[040h 0064   1]            Device Scope Type : 01 [PCI Endpoint Device]
//                         ^^^^^^^^^^^^^^^^^ meta.field.structure.dmar keyword.other.structure.dmar
//                                             ^^ constant.numeric.hex.dmar
//                                                ^^^^^^^^^^^^^^^^^^^^^ entity.name.type.decoded.dmar
[041h 0065   1]                 Entry Length : 08
[042h 0066   2]                     Reserved : 0000
[044h 0068   1]               Enumeration ID : 00
//                            ^^^^^^^^^^^^^^ variable.other.field.dmar
[045h 0069   1]               PCI Bus Number : 00

[046h 0070   2]                     PCI Path : 02,00
//                                  ^^^^^^^^ variable.other.field.dmar
//                                             ^^^^^ meta.field.dmar constant.other.pci-path.dmar
//                                             ^^ constant.other.pci-path.dmar constant.numeric.hex.pci-device.dmar
//                                               ^ constant.other.pci-path.dmar punctuation.separator.pci-path.dmar
//                                                ^^ constant.other.pci-path.dmar constant.numeric.hex.pci-function.dmar


[078h 0120   2]                Subtable Type : 0001 [Reserved Memory Region]
//                             ^^^^^^^^^^^^^ keyword.other.structure.dmar
//                                                   ^^^^^^^^^^^^^^^^^^^^^^ entity.name.type.decoded.dmar
[07Ah 0122   2]                       Length : 0020

[07Ch 0124   2]                     Reserved : 0000
[07Eh 0126   2]           PCI Segment Number : 0000
[080h 0128   8]                 Base Address : 000000008A68A000
// <--------------- meta.field.address.dmar comment.other.offset.dmar
//                              ^^^^^^^^^^^^ meta.field.address.dmar variable.other.field.address.dmar
//                                           ^ meta.field.address.dmar punctuation.separator.key-value.dmar
//                                             ^^^^^^^^^^^^^^^^ meta.field.address.dmar constant.numeric.hex.address.dmar
[088h 0136   8]          End Address (limit) : 000000008A6A9FFF
//                       ^^^^^^^^^^^^^^^^^^^ meta.field.address.dmar variable.other.field.address.dmar
//                                             ^^^^^^^^^^^^^^^^ constant.numeric.hex.address.dmar

[090h 0144   1]            Device Scope Type : 01 [PCI Endpoint Device]
[091h 0145   1]                 Entry Length : 08
[092h 0146   2]                     Reserved : 0000
[094h 0148   1]               Enumeration ID : 00
[095h 0149   1]               PCI Bus Number : 00

[096h 0150   2]                     PCI Path : 14,00
//                                             ^^^^^ constant.other.pci-path.dmar


[0B8h 0184   2]                Subtable Type : 0004 [ACPI Namespace Device Declaration]
//                                                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ entity.name.type.decoded.dmar
[0BAh 0186   2]                       Length : 001C

[0BCh 0188   3]                     Reserved : 000000
[0BFh 0191   1]                Device Number : 01
//                             ^^^^^^^^^^^^^ variable.other.field.dmar
[0C0h 0192  15]                  Device Name : "\_SB.PCI0.I2C0"
//                               ^^^^^^^^^^^ variable.other.field.dmar
//                                             ^^^^^^^^^^^^^^^^ string.quoted.double.dmar
//                                              ^^^^^^^^^^^^^^ - invalid.illegal.value.dmar


[0D4h 0212   2]                Subtable Type : 0003 [Remapping Hardware Static Affinity]
[0D6h 0214   2]                       Length : 0014

[0D8h 0216   4]                     Reserved : 00000000
[0DCh 0220   8]                 Base Address : 00000000FBFFE000
//                              ^^^^^^^^^^^^ variable.other.field.address.dmar
[0E4h 0228   4]             Proximity Domain : 00000000
//                          ^^^^^^^^^^^^^^^^ variable.other.field.dmar
// <------------------------------------------------------- - meta.field.address.dmar


[098h 0152   2]                Subtable Type : 0006 [Unknown Subtable Type]
//                                                   ^^^^^^^^^^^^^^^^^^^^^ entity.name.type.decoded.dmar
[09Ah 0154   2]                       Length : 0020


**** Unknown DMAR subtable type 0x6
// <---- meta.diagnostic.dmar keyword.other.diagnostic.dmar
//   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.diagnostic.dmar comment.line.diagnostic.dmar
//   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ - invalid.illegal.line.dmar variable.other.field.dmar


Raw Table Data: Length 216 (0xD8)
// <-------------- meta.raw-data.header.dmar keyword.other.raw-data.dmar
//            ^ meta.raw-data.header.dmar punctuation.separator.key-value.dmar
//              ^^^^^^ keyword.other.raw-data.length.dmar
//                     ^^^ constant.numeric.decimal.dmar
//                         ^ punctuation.definition.parens.begin.dmar
//                          ^^^^ constant.numeric.hex.dmar
//                              ^ punctuation.definition.parens.end.dmar

    0000: 44 4D 41 52 D8 00 00 00 01 18 53 45 43 43 53 44  // DMAR......SECCSD
//  ^^^^ meta.raw-data.row.dmar comment.other.offset.raw-data.dmar
// <------------ - meta.raw-data.header.dmar meta.field.dmar
//      ^ meta.raw-data.row.dmar punctuation.separator.offset.raw-data.dmar
//        ^^ meta.raw-data.row.dmar constant.numeric.hex.byte.raw-data.dmar
//           ^^ constant.numeric.hex.byte.raw-data.dmar
//                                                     ^^ constant.numeric.hex.byte.raw-data.dmar
//                                                         ^^ comment.line.ascii.raw-data.dmar punctuation.definition.comment.dmar
//                                                           ^^^^^^^^^^^^^^^^^ meta.raw-data.row.dmar comment.line.ascii.raw-data.dmar
//                                                            ^^^^ - string.quoted.double.dmar variable.other.field.dmar
    0010: 4C 48 34 33 53 54 41 52 09 20 07 01 41 4D 49 20  // LH43STAR. ..AMI 
//  ^^^^ comment.other.offset.raw-data.dmar
//                                                                        ^^^^ comment.line.ascii.raw-data.dmar
    00C0: 5C 5F 53 42 2E 50 43 49 30 2E 49 32 43 30 00 00  // \_SB.PCI0.I2C0..
//                                                            ^^^^^^^^^^^^^^^^ comment.line.ascii.raw-data.dmar
    00D0: 22 2F 2A 00 5B 00 00 00 04 00 1C 00 00 00 00 02  // "/*.[...........
//                                                            ^^^^^^^^^^^^^^^^ comment.line.ascii.raw-data.dmar
//                                                            ^^^^^^^^^^^^^^^^ - comment.block.dmar string.quoted.double.dmar
    00E0: 2E 50 43 49 30 2E 49 32                          // .PCI0.I2
//        ^^ constant.numeric.hex.byte.raw-data.dmar
//                             ^^ constant.numeric.hex.byte.raw-data.dmar
//                               ^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.raw-data.row.dmar - invalid.illegal.raw-data.dmar
//                                                            ^^^^^^^^ comment.line.ascii.raw-data.dmar
