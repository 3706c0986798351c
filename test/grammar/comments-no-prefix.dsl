// SYNTAX TEST "source.dmar" "hand-written source without offset prefixes; comments of both kinds"
// A line comment
// <-- comment.line.double-slash.dmar punctuation.definition.comment.dmar
// <~~--------------- comment.line.double-slash.dmar
/* A block comment
// <-- comment.block.dmar punctuation.definition.comment.begin.dmar
   spanning lines, with Field : 01 and [0004] and "quotes" inside
//                      ^^^^^^^^^^ comment.block.dmar - variable.other.field.dmar constant.numeric.hex.dmar
//                                     ^^^^^^ comment.block.dmar - comment.other.offset.dmar
//                                                ^^^^^^^^ comment.block.dmar - string.quoted.double.dmar
   Raw Table Data: Length 1
// ^^^^^^^^^^^^^^ comment.block.dmar - keyword.other.raw-data.dmar
    0000: 44 4D
//  ^^^^^^^^^^^ comment.block.dmar - meta.raw-data.row.dmar
**** not a note here
// <---- comment.block.dmar - keyword.other.diagnostic.dmar
   until here */
//            ^^ comment.block.dmar punctuation.definition.comment.end.dmar
                    Signature : "DMAR"    [DMA Remapping table]
//                  ^^^^^^^^^ source.dmar meta.field.dmar variable.other.field.dmar
//                  ^^^^^^^^^ - comment.block.dmar
//                            ^ punctuation.separator.key-value.dmar
//                              ^^^^^^ string.quoted.double.dmar
//                                        ^^^^^^^^^^^^^^^^^^^^^ entity.name.type.decoded.dmar
                 Table Length : 000000A8    // trailing comment
//               ^^^^^^^^^^^^ variable.other.field.dmar
//                              ^^^^^^^^ constant.numeric.hex.dmar
//                                          ^^^^^^^^^^^^^^^^^^^ meta.field.dmar comment.line.double-slash.dmar
                       Oem ID : "A//B"      /* inline block */
//                              ^^^^^^ string.quoted.double.dmar
//                              ^^^^^^ - comment.line.double-slash.dmar
//                                          ^^^^^^^^^^^^^^^^^^ comment.block.dmar
              Asl Compiler ID : "INTL"  // "quoted" [bracketed] in a comment
//                                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.dmar
//                                                  ^^^^^^^^^^^ - entity.name.type.decoded.dmar
           Host Address Width : 26
//         ^^^^^^^^^^^^^^^^^^ variable.other.field.dmar
                        Flags : 01 /* a comment that
//                              ^^ constant.numeric.hex.dmar
//                                 ^^^^^^^^^^^^^^^^^ comment.block.dmar
                        Flags : 02 continues */
//                      ^^^^^^^^^^^^^^^^^^^^ comment.block.dmar - variable.other.field.dmar constant.numeric.hex.dmar
//                                           ^^ comment.block.dmar punctuation.definition.comment.end.dmar
                     Reserved : 00 00 00 00 00 00 00 00 00 00
//                   ^^^^^^^^ meta.field.dmar variable.other.field.dmar
//                   ^^^^^^^^ - comment.block.dmar
//                              ^^ constant.numeric.hex.dmar

                Subtable Type : 0001 [Reserved Memory Region]
//              ^^^^^^^^^^^^^ meta.field.structure.dmar keyword.other.structure.dmar
//                              ^^^^ constant.numeric.hex.dmar
//                                   ^^^^^^^^^^^^^^^^^^^^^^^^ entity.name.type.decoded.dmar
                       Length : 0020
//                     ^^^^^^ variable.other.field.dmar
                 Base Address : 000000008C587000
//               ^^^^^^^^^^^^ meta.field.address.dmar variable.other.field.address.dmar
//                              ^^^^^^^^^^^^^^^^ constant.numeric.hex.address.dmar
          End Address (limit) : 000000008C5A6FFF  // RMRR end
//        ^^^^^^^^^^^^^^^^^^^ meta.field.address.dmar variable.other.field.address.dmar
//                              ^^^^^^^^^^^^^^^^ constant.numeric.hex.address.dmar
//                                                ^^^^^^^^^^^ comment.line.double-slash.dmar

            Device Scope Type : 01 [PCI Endpoint Device]
//          ^^^^^^^^^^^^^^^^^ keyword.other.structure.dmar
//                                 ^^^^^^^^^^^^^^^^^^^^^ entity.name.type.decoded.dmar
                     PCI Path : 14,00
//                              ^^^^^ constant.other.pci-path.dmar
                     PCI Path : 1F , 07
//                              ^^ constant.numeric.hex.pci-device.dmar
//                                 ^ punctuation.separator.pci-path.dmar
//                                   ^^ constant.numeric.hex.pci-function.dmar

                  Device Name : "\_SB.PCI0.I2C0"
//                              ^^^^^^^^^^^^^^^^ string.quoted.double.dmar
                 Oem Revision : 0x00000001
//                              ^^^^^^^^^^ constant.numeric.hex.dmar
                 Oem Revision : (00000001 + 2) | 0x10
//                              ^ punctuation.definition.parens.begin.dmar
//                               ^^^^^^^^ constant.numeric.hex.dmar
//                                        ^ keyword.operator.dmar
//                                          ^ constant.numeric.hex.dmar
//                                           ^ punctuation.definition.parens.end.dmar
//                                             ^ keyword.operator.dmar
//                                               ^^^^ constant.numeric.hex.dmar
#include "other.asl"
// <- meta.preprocessor.dmar punctuation.definition.directive.dmar
// <~------- meta.preprocessor.dmar keyword.control.directive.dmar
//       ^^^^^^^^^^^ string.quoted.double.dmar
// #region Hardware units
// <------------------------- comment.line.double-slash.dmar
// #endregion
