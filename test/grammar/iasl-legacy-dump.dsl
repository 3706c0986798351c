// SYNTAX TEST "source.dmar" "iasl -d output, [000h 0000 004h] offset prefixes; older raw dump without // before the ASCII column"
[000h 0000 004h]                   Signature : "DMAR"    [DMA Remapping Table]
// <---------------- meta.field.dmar comment.other.offset.dmar
// <~---- meta.offset.hex.dmar
//    ^^^^ meta.offset.decimal.dmar
//         ^^^^ comment.other.offset.dmar meta.offset.length.dmar
//                                 ^^^^^^^^^ variable.other.field.dmar
//                                             ^^^^^^ string.quoted.double.dmar
//                                                       ^^^^^^^^^^^^^^^^^^^^^ entity.name.type.decoded.dmar
[004h 0004 004h]                Table Length : 000000F0
//                                             ^^^^^^^^ constant.numeric.hex.dmar
[00Ah 0010 006h]                      Oem ID : "ACRSYS"
[026h 0038 00Ah]                    Reserved : 00 00 00 00 00 00 00 00 00 00
//         ^^^^ meta.offset.length.dmar
//                                             ^^ constant.numeric.hex.dmar
//                                                                        ^^ constant.numeric.hex.dmar
//                                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ - invalid.illegal.value.dmar

[030h 0048 002h]               Subtable Type : 0000 [Hardware Unit Definition]
//                             ^^^^^^^^^^^^^ keyword.other.structure.dmar
[038h 0056 008h]       Register Base Address : 00000000FED90000
//                                             ^^^^^^^^^^^^^^^^ constant.numeric.hex.dmar
[035h 0053 001h]        Size (decoded below) : 00
//                      ^^^^^^^^^^^^^^^^^^^^ variable.other.field.dmar
//                           ^^^^^^^^^^^^^^^ - punctuation.definition.parens.begin.dmar invalid.illegal.value.dmar
                          Size (pages, log2) : 0
//                        ^^^^^^^^^^^^^^^^^^ meta.field.dmar variable.other.field.dmar
//                                             ^ constant.numeric.hex.dmar

[040h 0064 001h]           Device Scope Type : 03 [IOAPIC Device]
//                         ^^^^^^^^^^^^^^^^^ keyword.other.structure.dmar
//                                                ^^^^^^^^^^^^^^^ entity.name.type.decoded.dmar
[045h 0069 001h]              PCI Bus Number : F0
//                                             ^^ constant.numeric.hex.dmar

[046h 0070 002h]                    PCI Path : 1F,00
//                                             ^^^^^ constant.other.pci-path.dmar
//                                             ^^ constant.numeric.hex.pci-device.dmar
//                                                ^^ constant.numeric.hex.pci-function.dmar

[040h 0064 001h]           Device Scope Type : 04 [Message-capable HPET Device]
//                                                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^ entity.name.type.decoded.dmar

[078h 0120 002h]               Subtable Type : 0001 [Reserved Memory Region]
[080h 0128 008h]                Base Address : 00000000C93CC000
//                              ^^^^^^^^^^^^ meta.field.address.dmar variable.other.field.address.dmar
//                                             ^^^^^^^^^^^^^^^^ meta.field.address.dmar constant.numeric.hex.address.dmar
[088h 0136 008h]         End Address (limit) : 00000000C93D8FFF
//                       ^^^^^^^^^^^^^^^^^^^ meta.field.address.dmar variable.other.field.address.dmar
//                                   ^^^^^^^ - punctuation.definition.parens.begin.dmar
//                                             ^^^^^^^^^^^^^^^^ constant.numeric.hex.address.dmar

[0A0h 0160 002h]               Subtable Type : 0002 [Root Port ATS Capability]
//                                                   ^^^^^^^^^^^^^^^^^^^^^^^^ entity.name.type.decoded.dmar
[0A4h 0164 001h]                       Flags : 00

Raw Table Data: Length 184 (0xB8)
// <-------------- keyword.other.raw-data.dmar
//                     ^^^ constant.numeric.decimal.dmar
//                          ^^^^ constant.numeric.hex.dmar

  0000: 44 4D 41 52 B8 00 00 00 01 8C 5F 41 53 55 53 5F  DMAR......_ASUS_
// <~~---- meta.raw-data.row.dmar comment.other.offset.raw-data.dmar
//      ^^ constant.numeric.hex.byte.raw-data.dmar
//                                                   ^^ constant.numeric.hex.byte.raw-data.dmar
//                                                       ^^^^^^^^^^^^^^^^ meta.raw-data.row.dmar comment.line.ascii.raw-data.dmar
//                                                       ^^^^^^^^^^^^^^^^ - invalid.illegal.raw-data.dmar punctuation.definition.comment.dmar
  0010: 4E 6F 74 65 62 6F 6F 6B 01 00 00 00 49 4E 54 4C  Notebook....INTL
//                                                       ^^^^^^^^^^^^^^^^ comment.line.ascii.raw-data.dmar
  0020: 01 00 00 00 26 01 00 00 00 00 00 00 00 00 00 00  ....&...........
//                                                       ^^^^^^^^^^^^^^^^ comment.line.ascii.raw-data.dmar
  0030: 41 42 20 43 44 20 00 00 00 00 D9 FE 00 00 00 00  AB CD ..........
//                                    ^^ constant.numeric.hex.byte.raw-data.dmar
//                                       ^^ constant.numeric.hex.byte.raw-data.dmar
//                                                       ^^^^^^^^^^^^^^^^ comment.line.ascii.raw-data.dmar
//                                                       ^^^^^^^^^^^^^^^^ - constant.numeric.hex.byte.raw-data.dmar
  0040: 2F 2F 20 2A 2F 00 00 00 00 00 00 00 00 00 00 00  // */...........
//                                                       ^^^^^^^^^^^^^^^^ comment.line.ascii.raw-data.dmar
//                                                       ^^^^^^^^^^^^^^^^ - invalid.illegal.stray-comment-end.dmar comment.block.dmar
  00B0: 01 08 00 00 00 00 02 00                          ........
//                        ^^ constant.numeric.hex.byte.raw-data.dmar
//                                                       ^^^^^^^^ comment.line.ascii.raw-data.dmar
