/** Returns its input: the smallest workflow whose input and result are both payloads stored by Temporal. */
export async function echo<T>(input: T): Promise<T> {
  return input;
}
