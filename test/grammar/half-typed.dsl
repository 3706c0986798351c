// SYNTAX TEST "source.dmar" "half-typed lines while editing, and invalid content"
[000h 0000   4]                    Signat
//                                 ^^^^^^ meta.field.dmar variable.other.field.dmar
[000h 0000   4]                    Signature
//                                 ^^^^^^^^^ variable.other.field.dmar
[000h 0000   4]                    Signature :
//                                           ^ punctuation.separator.key-value.dmar
[000h 0000   4]                    Signature : "DMA
//                                             ^^^^ string.quoted.double.dmar
[004h 0004   4]                 Table Length : 000000A8
//                              ^^^^^^^^^^^^ meta.field.dmar variable.other.field.dmar
//                                             ^^^^^^^^ constant.numeric.hex.dmar
//                                             ^^^^^^^^ - string.quoted.double.dmar
[000h 0000   4]                    Signature : "DMAR"    [DMA Rem
//                                                       ^^^^^^^^ entity.name.type.decoded.dmar
[004h 0004   4]                 Table Length : 000000A8
//                              ^^^^^^^^^^^^ variable.other.field.dmar
//                                             ^^^^^^^^ - entity.name.type.decoded.dmar
[030h 0048   2]                Subtable Ty
//                             ^^^^^^^^^^^ variable.other.field.dmar
[030h 0048   2]                Subtable Type
//                             ^^^^^^^^^^^^^ meta.field.structure.dmar keyword.other.structure.dmar
[030h 0048   2]                Subtable Type : 00
//                                             ^^ constant.numeric.hex.dmar
[080h 0128   8]                 Base Address : 00000000
//                              ^^^^^^^^^^^^ variable.other.field.address.dmar
//                                             ^^^^^^^^ constant.numeric.hex.address.dmar
[088h 0136   8]          End Address (lim
//                       ^^^^^^^^^^^^^^^^ variable.other.field.dmar
[046h 0070   2]                     PCI Path : 1F,
//                                             ^^ constant.other.pci-path.dmar constant.numeric.hex.pci-device.dmar
//                                               ^ constant.other.pci-path.dmar punctuation.separator.pci-path.dmar
[046h 0070   2]                     PCI Path : 1F,0
//                                                ^ constant.numeric.hex.pci-function.dmar
[046h 0
// <------- comment.other.offset.dmar
// <- punctuation.definition.offset.begin.dmar
[046h 0070   2]
// <--------------- comment.other.offset.dmar
[0002
// <----- comment.other.offset.dmar
[0002]    Fl
//        ^^ variable.other.field.dmar
[0001]                           Revision : 01
//                               ^^^^^^^^ variable.other.field.dmar
//                                          ^^ constant.numeric.hex.dmar

Raw Table Da
// <------------ variable.other.field.dmar
Raw Table Data
// <-------------- keyword.other.raw-data.dmar
Raw Table Data: Length 16 (0x
// <-------------- keyword.other.raw-data.dmar
//                     ^^ constant.numeric.decimal.dmar
//                         ^^ constant.numeric.hex.dmar
    0000: 44 4D 41 5
//        ^^ constant.numeric.hex.byte.raw-data.dmar
//                 ^ constant.numeric.hex.byte.raw-data.dmar
    0010:
//  ^^^^ comment.other.offset.raw-data.dmar
    0020: 44 4D  // DM
//               ^^^^^ comment.line.ascii.raw-data.dmar
****
// <---- keyword.other.diagnostic.dmar
**** Unknown DMAR subtable type 0x
//   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.diagnostic.dmar
[0001]                           Revision : 01
//                               ^^^^^^^^ variable.other.field.dmar
//                                          ^^ constant.numeric.hex.dmar
//                                          ^^ - comment.line.diagnostic.dmar

[0001]                              Flags : 0G
//                                          ^^ invalid.illegal.value.dmar
[0001]                              Flags : 01 zz
//                                          ^^ constant.numeric.hex.dmar
//                                             ^^ invalid.illegal.value.dmar
[0006]                             Oem ID : "INTEL " junk
//                                          ^^^^^^^^ string.quoted.double.dmar
//                                                   ^^^^ invalid.illegal.value.dmar
[0001]                              Flags : 01 ]
//                                             ^ invalid.illegal.value.dmar
                                          : 01
//                                        ^^^^ invalid.illegal.line.dmar
 */
// <~-- invalid.illegal.stray-comment-end.dmar
Raw Table Data: Length twelve
//                     ^^^^^^ invalid.illegal.raw-data.dmar
    0030: 44 ZZ 41
//        ^^ constant.numeric.hex.byte.raw-data.dmar
//           ^^ invalid.illegal.raw-data.dmar
[0001]                           Revision : 01
//                               ^^^^^^^^ variable.other.field.dmar
/* an unterminated comment runs to the end of the file
// <-- comment.block.dmar punctuation.definition.comment.begin.dmar
[0001]                           Revision : 01
//                               ^^^^^^^^ comment.block.dmar - variable.other.field.dmar
