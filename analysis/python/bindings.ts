// Where a Python name is bound, by the tree around one occurrence: shared by the kernel's facts and the rules.
import type { Node } from 'web-tree-sitter';
import { within } from '../flow';

/**
 * True when this identifier (or attribute chain) is bound here: an assignment or loop target, a def or class name,
 * a parameter, an `as` target, a walrus, global/nonlocal, `del`, an except name, and with `imports` an import's
 * name or alias (rules track imports apart, and leave them out).
 */
export function bindsName(n: Node, imports = false): boolean {
  let child = n;
  for (let p = n.parent; p; child = p, p = p.parent) {
    switch (p.type) {
      case 'assignment':
      case 'augmented_assignment':
      case 'for_statement':
      case 'for_in_clause': {
        const left = p.childForFieldName('left');
        return !!left && within(n, left);
      }
      case 'function_definition':
      case 'class_definition':
        return p.childForFieldName('name')?.startIndex === n.startIndex;
      case 'parameters':
      case 'lambda_parameters':
        return true;
      case 'default_parameter':
      case 'typed_default_parameter':
        return p.childForFieldName('name')?.startIndex === n.startIndex;
      case 'typed_parameter':
        return p.namedChild(0)?.startIndex === child.startIndex;
      case 'keyword_argument':
      case 'attribute':
      case 'subscript':
      case 'call':
        return false;
      case 'named_expression':
        return p.childForFieldName('name')?.startIndex === n.startIndex;
      case 'as_pattern_target':
      case 'global_statement':
      case 'nonlocal_statement':
      case 'delete_statement':
        return true;
      case 'aliased_import':
      case 'dotted_name':
      case 'import_statement':
      case 'import_from_statement':
        return imports;
      case 'except_clause':
        return child.startIndex === n.startIndex && p.child(0)?.type === 'except' && n.previousSibling?.type === 'as';
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern':
      case 'parenthesized_expression':
      case 'tuple':
      case 'list':
        continue;
      default:
        if (child !== n) return false;
    }
  }
  return false;
}
