/** What a server's `hello` command says of its role (the fields Suara reads). */
export interface HelloReply {
  setName?: string;
  msg?: string;
  isWritablePrimary?: boolean;
}

/**
 * Why the MongoDB server cannot hold Suara's data, or null when it can. Suara writes a case, its
 * event and its outbox message in one transaction, and MongoDB has transactions only on a
 * replica set or a sharded cluster (`mongos`): a standalone server is refused at start-up with
 * this one line.
 *
 * @example
 * replicaSetProblem({ isWritablePrimary: true }) // 'MongoDB … is a standalone server: …'
 * replicaSetProblem({ setName: 'rs0', isWritablePrimary: true }) // null
 */
export function replicaSetProblem(hello: HelloReply, where = 'the server'): string | null {
  if (hello.msg === 'isdbgrid') return null;
  if (!hello.setName) {
    return (
      `MongoDB at ${where} is a standalone server: Suara needs transactions, which MongoDB ` +
      'only has on a replica set (start mongod with --replSet and run rs.initiate(), or use a ' +
      'replica set such as MongoDB Atlas)'
    );
  }
  return null;
}
