/** One page of a list answer of the admin API. */
export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  total: number;
}
