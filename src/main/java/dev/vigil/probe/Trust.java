package dev.vigil.probe;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The system trust store plus optional extra CA bundles (PEM), as one trust manager. */
public final class Trust {

    private Trust() {
    }

    public static List<X509Certificate> readPem(Path file) throws IOException {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certs = new ArrayList<>();
            for (var c : factory.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)))) {
                certs.add((X509Certificate) c);
            }
            return certs;
        } catch (CertificateException e) {
            throw new IOException(file + " holds no readable PEM certificate", e);
        }
    }

    /**
     * One trust manager over the system's anchors and the extra CAs together. Checking the system store first and
     * the extra CAs after its failure would build every in-cluster chain twice, the first time over the whole system
     * store and ending in an exception: that cost more than the handshake's key exchange on every probe.
     */
    public static X509TrustManager systemPlus(List<X509Certificate> extraCas) {
        X509TrustManager system = manager(null);
        if (extraCas.isEmpty()) {
            return system;
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            X509Certificate[] anchors = system.getAcceptedIssuers();
            for (int i = 0; i < anchors.length; i++) {
                store.setCertificateEntry("system-" + i, anchors[i]);
            }
            for (int i = 0; i < extraCas.size(); i++) {
                store.setCertificateEntry("extra-" + i, extraCas.get(i));
            }
            return manager(store);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store", e);
        }
    }

    private static X509TrustManager manager(KeyStore store) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
