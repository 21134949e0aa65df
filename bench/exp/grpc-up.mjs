import * as grpc from '@grpc/grpc-js';
const id = (b) => b;
const def = { unary: { path: '/test.Echo/Unary', requestStream: false, responseStream: false, requestSerialize: id, requestDeserialize: id, responseSerialize: id, responseDeserialize: id } };
const server = new grpc.Server();
const trailer = new grpc.Metadata(); trailer.set('x-token', 't');
server.addService(def, { unary: (call, done) => done(null, call.request, trailer) });
server.bindAsync('127.0.0.1:19011', grpc.ServerCredentials.createInsecure(), () => {});
